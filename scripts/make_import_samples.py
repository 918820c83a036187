"""Write data/samples/chung-nhan-lich-su.xlsx: invented past certificates for the import (demo data).

Run from the repository root: ``.venv/bin/python scripts/make_import_samples.py``.
The sheet content is fixed: running it again gives the same cells.
"""
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voting.import_workbook import COLUMNS, SHEET_TITLE, save_stamped, write_row  # noqa: E402

TARGET = ROOT / "data/samples/chung-nhan-lich-su.xlsx"

BCT = "Bộ Công Thương"
CUC = "Cục Công Thương địa phương"

# (level, year, decision number, decision date, authority, province then, [(product, group, producer)], valid years)
BATCHES = (
    ("Cấp quốc gia", 2019, "5092/QĐ-BCT", date(2019, 12, 20), BCT, None, [
        ("Miến dong", 2, "Hợp tác xã miến dong mẫu", "Bắc Kạn"),
        ("Chè Tân Cương", 2, "Hợp tác xã chè mẫu", "Thái Nguyên"),
        ("Gốm men rạn", 1, "Công ty gốm mẫu", "Hải Dương"),
        ("Máy tuốt lúa mini", 3, "Cơ sở cơ khí mẫu", "Nghệ An"),
    ], 3),
    ("Cấp quốc gia", 2021, "3116/QĐ-BCT", date(2021, 12, 1), BCT, None, [
        ("Mật ong bạc hà", 2, "Hợp tác xã ong mẫu", "Hà Giang"),
        ("Tinh bột nghệ", 2, "Công ty nghệ mẫu", "Nghệ An"),
        ("Mây tre đan xuất khẩu", 1, "Hợp tác xã mây tre mẫu", "Hà Nội"),
        ("Tấm lợp cách nhiệt", 4, "Công ty vật liệu mẫu", "Bình Dương"),
    ], 3),
    ("Cấp khu vực", 2022, "215/QĐ-CTĐP", date(2022, 10, 14), CUC, None, [
        ("Nước mắm Cà Ná", 2, "Cơ sở nước mắm mẫu", "Ninh Thuận"),
        ("Yến sào", 2, "Công ty yến mẫu", "Khánh Hòa"),
        ("Thanh long sấy dẻo", 2, "Hợp tác xã thanh long mẫu", "Bình Thuận"),
        ("Cà phê rang xay", 2, "Công ty cà phê mẫu", "Đắk Lắk"),
        ("Hạt mắc ca", 2, "Hợp tác xã mắc ca mẫu", "Đắk Nông"),
        ("Ca cao", 2, "Công ty ca cao mẫu", "Bến Tre"),
    ], 3),
    ("Cấp khu vực", 2024, "388/QĐ-CTĐP", date(2024, 11, 8), CUC, None, [
        ("Phở khô", 2, "Hộ kinh doanh phở mẫu", "Nam Định"),
        ("Bún khô", 2, "Hộ kinh doanh bún mẫu", "Cao Bằng"),
        ("Cơm cháy chà bông", 2, "Công ty cơm cháy mẫu", "Ninh Bình"),
        ("Rượu ngô men lá", 2, "Hợp tác xã rượu mẫu", "Hà Giang"),
        ("Nón lá bài thơ", 1, "Tổ hợp tác nón mẫu", "Thừa Thiên Huế"),
        ("Máy gặt đập liên hợp", 3, "Công ty cơ khí nông nghiệp mẫu", "Long An"),
        ("Xà phòng thảo mộc", 4, "Hợp tác xã thảo mộc mẫu", "Quảng Nam"),
    ], 3),
    ("Cấp tỉnh", 2018, "2650/QĐ-UBND", date(2018, 11, 30), "Ủy ban nhân dân tỉnh Bắc Kạn", "Bắc Kạn", [
        ("Miến dong", 2, "Hợp tác xã miến dong mẫu", None),
        ("Bánh gio", 2, "Hộ kinh doanh bánh mẫu", None),
        ("Khẩu sli", 2, "Hợp tác xã bánh mẫu", None),
    ], None),
    ("Cấp tỉnh", 2023, "1977/QĐ-UBND", date(2023, 11, 20), "Ủy ban nhân dân tỉnh Thái Nguyên", "Thái Nguyên", [
        ("Chè đinh", 2, "Hợp tác xã chè mẫu", None),
        ("Bánh chưng Bờ Đậu", 2, "Hộ kinh doanh bánh chưng mẫu", None),
        ("Mỳ gạo", 2, "Hợp tác xã mỳ mẫu", None),
        ("Dao rèn thủ công", 3, "Cơ sở rèn mẫu", None),
    ], 3),
    ("Cấp tỉnh", 2023, "3344/QĐ-UBND", date(2023, 12, 5), "Ủy ban nhân dân tỉnh Khánh Hòa", "Khánh Hòa", [
        ("Trầm hương mỹ nghệ", 1, "Công ty trầm hương mẫu", None),
        ("Nước yến", 2, "Công ty yến mẫu", None),
        ("Xoài sấy", 2, "Hợp tác xã xoài mẫu", None),
    ], 3),
    ("Cấp tỉnh", 2020, "1502/QĐ-UBND", date(2020, 9, 25), "Ủy ban nhân dân tỉnh Quảng Nam", "Quảng Nam", [
        ("Sâm Ngọc Linh ngâm mật ong", 2, "Công ty sâm mẫu", None),
        ("Đèn lồng Hội An", 1, "Cơ sở đèn lồng mẫu", None),
    ], 3),
    ("Cấp tỉnh", 2025, "0915/QĐ-UBND", date(2025, 12, 10), "Ủy ban nhân dân tỉnh Lâm Đồng", "Lâm Đồng", [
        ("Atiso túi lọc", 2, "Hợp tác xã atiso mẫu", None),
        ("Dâu tây sấy", 2, "Công ty nông sản mẫu", None),
    ], 3),
    ("Cấp tỉnh", 2021, "2087/QĐ-UBND", date(2021, 10, 18), "Ủy ban nhân dân tỉnh Hà Giang", "Hà Giang", [
        ("Chè Shan tuyết", 2, "Hợp tác xã chè Shan mẫu", None),
        ("Thổ cẩm dệt tay", 1, "Hợp tác xã thổ cẩm mẫu", None),
    ], 3),
    ("Cấp tỉnh", 2022, "2290/QĐ-UBND", date(2022, 12, 2), "Ủy ban nhân dân tỉnh Yên Bái", "Yên Bái", [
        ("Quế hữu cơ", 2, "Công ty quế mẫu", None),
        ("Tinh dầu quế", 4, "Hợp tác xã tinh dầu mẫu", None),
    ], 3),
    ("Cấp huyện", 2023, "812/QĐ-UBND", date(2023, 6, 15), "Ủy ban nhân dân huyện Đại Từ", "Thái Nguyên", [
        ("Chè búp khô Đại Từ", 2, "Tổ hợp tác chè mẫu", None),
    ], None),
)
CODES = {"Cấp quốc gia": "QG", "Cấp khu vực": "KV", "Cấp tỉnh": "T", "Cấp huyện": "H"}


def sample_rows():
    """The sample's data rows, in the template's column order."""
    rows = []
    for level, year, decision, decided_on, authority, province, products, valid_years in BATCHES:
        for seq, (product, group, producer, producer_province) in enumerate(products, start=1):
            where = province or producer_province
            number = f"{CODES[level]}-{year}-{_initials(where)}-{seq:03d}" if province else \
                f"{CODES[level]}-{year}-{seq:03d}"
            valid_until = decided_on.replace(year=decided_on.year + valid_years) if valid_years else None
            rows.append((number, level, year, decision, decided_on, authority, product, group,
                         f"{producer} (dữ liệu mẫu)", where, valid_until))
    return rows


def _initials(name):
    from voting.text import fold

    return "".join(word[0] for word in fold(name).split()).upper()


def build_sample():
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    write_row(ws, 1, [c.header for c in COLUMNS])
    for index, row in enumerate(sample_rows(), start=2):
        write_row(ws, index, row)
    return save_stamped(wb)


def main():
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build_sample())
    print(f"{TARGET.relative_to(ROOT)}: {len(sample_rows())} rows")


if __name__ == "__main__":
    main()
