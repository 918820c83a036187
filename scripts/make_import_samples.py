"""Write the sample files of the imports (invented demo data), under data/samples/:

- ``chung-nhan-lich-su.xlsx``: past certificates (Quản trị → Nhập giấy chứng nhận cũ);
- ``de-cu-van-ban-tuyen-quang.xlsx``: Tuyên Quang's paper nomination list (danh sách trích ngang)
  for a regional round of khu vực phía Bắc (Đợt bình chọn → Nhập danh sách đề cử).

With ``--templates`` it writes the two empty templates instead (``mau-nhap-chung-nhan.xlsx``,
``mau-danh-sach-de-cu.xlsx``), as the pages serve them.

Run from the repository root: ``.venv/bin/python scripts/make_import_samples.py``.
The content and the document properties are fixed: running it again gives the same bytes.
"""
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voting.documents.import_workbook import (  # noqa: E402
    COLUMNS,
    SHEET_TITLE,
    build_template,
    save_stamped,
    write_header,
    write_row,
)
from voting.operations.nomination_imports import SHEET_TITLE as NOMINATION_SHEET_TITLE  # noqa: E402
from voting.operations.nomination_imports import example_row, nomination_columns  # noqa: E402

TARGET = ROOT / "data/samples/chung-nhan-lich-su.xlsx"
NOMINATION_TARGET = ROOT / "data/samples/de-cu-van-ban-tuyen-quang.xlsx"
#: The empty templates, as the pages serve them (header row and one example row).
TEMPLATE_TARGET = ROOT / "data/samples/mau-nhap-chung-nhan.xlsx"
NOMINATION_TEMPLATE_TARGET = ROOT / "data/samples/mau-danh-sach-de-cu.xlsx"

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
    from voting.core.text import fold

    return "".join(word[0] for word in fold(name).split()).upper()


def build_sample():
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    write_row(ws, 1, [c.header for c in COLUMNS])
    for index, row in enumerate(sample_rows(), start=2):
        write_row(ws, index, row)
    return save_stamped(wb)


# Tuyên Quang (code 08, khu vực phía Bắc; the former Hà Giang is part of it since 1/7/2025) nominates
# to the regional round the entries its provincial rounds certified. Types are written as lists
# write them (full name, "HTX", "Công ty"); the registration numbers are invented.
# (decision number, decision date, valid until, [(product, producer, type, registration number, address, group)])
TUYEN_QUANG = (
    ("2155/QĐ-UBND", date(2025, 11, 28), date(2028, 11, 28), [
        ("Chè Shan tuyết cổ thụ Cao Bồ", "Hợp tác xã Chè Shan tuyết Cao Bồ", "Hợp tác xã", "5100234567",
         "Thôn Tham Vè, xã Cao Bồ, tỉnh Tuyên Quang", 2),
        ("Mật ong bạc hà Mèo Vạc", "Hợp tác xã Nông nghiệp và Dịch vụ Mật ong bạc hà Mèo Vạc", "HTX", "5100345678",
         "Tổ dân phố 2, xã Mèo Vạc, tỉnh Tuyên Quang", 2),
        ("Rượu ngô men lá Na Hang", "Hộ kinh doanh Ma Văn Thiện", "Hộ kinh doanh", "50C8001234",
         "Tổ dân phố 4, xã Na Hang, tỉnh Tuyên Quang", 2),
        ("Bộ sản phẩm bánh gai Chiêm Hóa (bánh gai nhân đậu xanh, bánh gai nhân dừa, bánh gai lá ngải)",
         "Công ty Trách nhiệm hữu hạn Một thành viên Thực phẩm truyền thống Chiêm Hóa", "Doanh nghiệp nhỏ và vừa",
         "5000456789", "Thôn Bản Chợ, xã Chiêm Hóa, tỉnh Tuyên Quang", 2),
        ("Miến dong Hợp Thành", "Hợp tác xã Miến dong Hợp Thành", "Hợp tác xã", "5000567890",
         "Thôn Cầu Cao, xã Sơn Dương, tỉnh Tuyên Quang", 2),
        ("Khăn và túi thổ cẩm dệt tay của đồng bào Dao đỏ", "Tổ hợp tác dệt thổ cẩm thôn Nặm Đăm", "Tổ hợp tác", "",
         "Thôn Nặm Đăm, xã Quản Bạ, tỉnh Tuyên Quang", 1),
        ("Đồ gỗ mỹ nghệ từ gỗ nghiến", "Hộ kinh doanh Hoàng Văn Sơn", "Hộ kinh doanh", "50A8002345",
         "Thôn Đồng Bừa, xã Yên Sơn, tỉnh Tuyên Quang", 1),
        ("Máy sao chè mini quay tay cải tiến", "Công ty Cổ phần Cơ khí Nông nghiệp Tân Trào", "Công ty",
         "5000678901", "Tổ 9, phường Minh Xuân, tỉnh Tuyên Quang", 3),
        ("Máy thái lát nghệ và dược liệu", "Công ty Cổ phần Cơ khí Nông nghiệp Tân Trào", "Công ty",
         "5000678901", "Tổ 9, phường Minh Xuân, tỉnh Tuyên Quang", 3),
    ]),
    ("1873/QĐ-UBND", date(2024, 11, 15), date(2027, 11, 15), [
        ("Tinh dầu quế hữu cơ Hàm Yên", "Hợp tác xã Quế hồi Hàm Yên", "Hợp tác xã", "5000789012",
         "Thôn Khuôn Phầy, xã Hàm Yên, tỉnh Tuyên Quang", 4),
        ("Gạch không nung xi măng cốt liệu", "Công ty Trách nhiệm hữu hạn Vật liệu xây dựng Xuân Vân",
         "Doanh nghiệp nhỏ và vừa", "5000890123", "Thôn Đồng Giàn, xã Xuân Vân, tỉnh Tuyên Quang", 4),
        ("Thịt trâu gác bếp Đồng Văn", "Hộ kinh doanh Lý Thị Hoa", "Hộ kinh doanh", "51B8003456",
         "Tổ dân phố 3, xã Đồng Văn, tỉnh Tuyên Quang", 2),
    ]),
)


def nomination_sample_rows():
    """Tuyên Quang's list, in the template's column order (STT first)."""
    rows = []
    for decision, decided_on, valid_until, entries in TUYEN_QUANG:
        for product, producer, kind, registration, address, group in entries:
            stt = len(rows) + 1
            rows.append((stt, product, f"{producer} (dữ liệu mẫu)", kind, registration, address, group, decision,
                         decided_on, f"{stt}/GCN-UBND", valid_until))
    return rows


def build_nomination_sample():
    wb = Workbook()
    ws = wb.active
    ws.title = NOMINATION_SHEET_TITLE
    write_header(ws, nomination_columns("tinh"))
    for index, row in enumerate(nomination_sample_rows(), start=2):
        write_row(ws, index, row)
    ws.freeze_panes = "A2"
    return save_stamped(wb)


def build_templates():
    """The two templates: past certificates, and a province's nomination list (provincial certificates)."""
    return {TEMPLATE_TARGET: build_template(),
            NOMINATION_TEMPLATE_TARGET: build_template(columns=nomination_columns("tinh"),
                                                       example_rows=(example_row("tinh"),),
                                                       title=NOMINATION_SHEET_TITLE)}


def main():
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    if "--templates" in sys.argv:
        for path, data in build_templates().items():
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}")
        return
    TARGET.write_bytes(build_sample())
    print(f"{TARGET.relative_to(ROOT)}: {len(sample_rows())} rows")
    NOMINATION_TARGET.write_bytes(build_nomination_sample())
    print(f"{NOMINATION_TARGET.relative_to(ROOT)}: {len(nomination_sample_rows())} rows")


if __name__ == "__main__":
    main()
