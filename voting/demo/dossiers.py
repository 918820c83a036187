"""The papers and photos of each demo dossier, planned before any row is written.

The document specs (registration copy, food-safety certificate, test report,
award) are written from a producer's row; :func:`prepare_document` and
:func:`prepare_photo` hand them to the :class:`~voting.demo.files.FileStore` to
draw and store in the background, and :func:`plan_dossiers` does so for the
screening story of :data:`voting.demo.data.DOSSIERS`. The little randomness
(dates, numbers, officials) comes from generators seeded with the producer's
or product's name, so every run draws the same papers.
"""
import random
import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from voting.demo.data import DOSSIERS, PRODUCERS, TRADES
from voting.demo.files import slug
from voting.demo.papers import DocumentSpec, document_jpeg, document_pdf
from voting.demo.photos import product_photo
from voting.models import Product

#: Food-safety certificates for these come from Sở Công Thương (alcohol, starch); the rest
#: from Sở Nông nghiệp và Môi trường.
_INDUSTRY_FOOD = {"ruou", "mien_dong", "nghe"}
#: What a test report (phiếu kết quả thử nghiệm) checks, by kind.
_TESTS = {
    "may_nn": "Năng suất, công suất động cơ, độ ồn, an toàn điện",
    "tam_lop": "Hệ số dẫn nhiệt, khối lượng thể tích, độ bền uốn, khả năng chống cháy lan",
}
_OFFICIALS = ("Nguyễn Văn Bình", "Trần Thị Mai", "Lê Quang Vinh", "Phạm Thị Thanh Hương", "Hoàng Minh Đức",
              "Đỗ Thị Ngọc Anh", "Vũ Đình Khang", "Bùi Thị Thu Trang")


def place_name(commune):
    """Return the commune's bare name for prose ("Xã Bảo Lâm 1" -> "Bảo Lâm")."""
    name = " ".join(commune.name.split()).removeprefix(commune.division_type.capitalize()).strip()
    return re.sub(r"\s+\d+$", "", name)


def _date_words(day):
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _money(amount):
    return f"{amount:,}".replace(",", ".") + " đồng"


def _registration_spec(producer, kinds, blurred=False):
    """The registration copy of a producer, after the paper its type is given."""
    rng = random.Random(f"registration {producer.name}")
    province, commune = producer.province, producer.commune
    issued = date(rng.randrange(2012, 2022), rng.randrange(1, 13), rng.randrange(1, 29))
    place = f"{province.name}, {_date_words(issued)}"
    address = f"{producer.address}, {commune.name}, {province.full_name}"
    trades = "; ".join(dict.fromkeys(TRADES[kind] for kind in kinds))
    official = rng.choice(_OFFICIALS)
    if producer.type_code in ("dnnvv", "htx"):
        firm = producer.type_code == "dnnvv"
        return DocumentSpec(
            parent=f"Sở Tài chính {province.full_name}", issuer="Phòng Đăng ký kinh doanh",
            place_date=place, blurred=blurred,
            title="Giấy chứng nhận đăng ký doanh nghiệp" if firm else "Giấy chứng nhận đăng ký hợp tác xã",
            subtitle=(f"Mã số {'doanh nghiệp' if firm else 'hợp tác xã'}: {producer.registration_number}. "
                      f"Đăng ký lần đầu: {_date_words(issued)}"),
            lines=(
                (f"1. Tên {'công ty' if firm else 'hợp tác xã'}", producer.name),
                ("2. Địa chỉ trụ sở chính", address),
                ("   Điện thoại", producer.phone),
                ("3. Ngành, nghề kinh doanh", trades),
                ("4. Vốn điều lệ", _money(rng.randrange(5, 60) * 100_000_000)),
                ("5. Người đại diện theo pháp luật", f"{producer.representative}; chức danh: "
                                                     f"{'Giám đốc' if firm else 'Giám đốc hợp tác xã'}"),
            ),
            signer_capacity="Trưởng phòng", signer_name=official,
        )
    if producer.type_code == "hkd":
        return DocumentSpec(
            issuer=f"Ủy ban nhân dân\n{commune.name}", number=f"Số: {producer.registration_number}",
            place_date=f"{place_name(commune)}, {_date_words(issued)}", blurred=blurred,
            title="Giấy chứng nhận đăng ký hộ kinh doanh",
            subtitle=f"Đăng ký lần đầu: {_date_words(issued)}",
            lines=(
                ("1. Tên hộ kinh doanh", producer.name),
                ("2. Địa điểm kinh doanh", address),
                ("3. Ngành, nghề kinh doanh", trades),
                ("4. Vốn kinh doanh", _money(rng.randrange(2, 20) * 50_000_000)),
                ("5. Chủ hộ kinh doanh", producer.representative),
            ),
            signer_capacity="TM. Ủy ban nhân dân\nKT. Chủ tịch\nPhó Chủ tịch", signer_name=official,
        )
    # A tổ hợp tác rests on a cooperation contract, certified by the commune.
    return DocumentSpec(
        issuer="", number=f"Số: {producer.registration_number}" if producer.registration_number else "",
        place_date=f"{place_name(commune)}, {_date_words(issued)}", blurred=blurred,
        title="Hợp đồng hợp tác", subtitle="Căn cứ Bộ luật Dân sự năm 2015 và Nghị định số 77/2019/NĐ-CP "
                                          "về tổ hợp tác",
        lines=(
            ("1. Tên tổ hợp tác", producer.name),
            ("2. Địa chỉ", address),
            ("3. Tổ trưởng (người đại diện)", producer.representative),
            ("4. Số thành viên", f"{rng.randrange(7, 25)} thành viên, góp vốn và công lao động"),
            ("5. Mục đích hợp tác", trades),
            ("", "Các thành viên cam kết cùng góp vốn, góp sức, cùng hưởng lợi và cùng chịu trách nhiệm "
                 "theo hợp đồng này."),
        ),
        signer_capacity=f"Xác nhận của\nỦy ban nhân dân {commune.name}", signer_name=official,
    )


def _food_safety_spec(producer, kinds, product_names):
    rng = random.Random(f"food safety {producer.name}")
    province = producer.province
    issued = date(rng.randrange(2024, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
    industry = any(kind in _INDUSTRY_FOOD for kind in kinds)
    return DocumentSpec(
        parent=f"Ủy ban nhân dân {province.full_name}",
        issuer="Sở Công Thương" if industry else "Sở Nông nghiệp và Môi trường",
        number=f"Số: {rng.randrange(10, 400):03d}/{issued.year}/ATTP-CNĐK",
        place_date=f"{province.name}, {_date_words(issued)}",
        title="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        lines=(
            ("Chứng nhận", producer.name),
            ("Địa chỉ", f"{producer.address}, {producer.commune.name}, {province.full_name}"),
            ("Đủ điều kiện an toàn thực phẩm để sản xuất", "; ".join(product_names)),
            ("", "Giấy chứng nhận có hiệu lực 03 năm kể từ ngày ký."),
        ),
        signer_capacity="KT. Giám đốc\nPhó Giám đốc", signer_name=rng.choice(_OFFICIALS),
    )


def _quality_spec(producer, product, kind):
    rng = random.Random(f"quality {product.name}")
    province = producer.province
    tested = date(rng.randrange(2024, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
    return DocumentSpec(
        parent=f"Sở Khoa học và Công nghệ {province.full_name}",
        issuer="Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
        number=f"Số: {rng.randrange(100, 999)}/{tested.year}/KQTN", place_date=f"{province.name}, {_date_words(tested)}",
        title="Phiếu kết quả thử nghiệm",
        lines=(
            ("Tên mẫu", product.name),
            ("Khách hàng", producer.name),
            ("Chỉ tiêu thử nghiệm", _TESTS.get(kind, "Các chỉ tiêu chất lượng đã đăng ký")),
            ("Kết luận", "Mẫu thử đạt các chỉ tiêu theo tiêu chuẩn cơ sở đã công bố."),
            ("", "Kết quả chỉ có giá trị đối với mẫu thử do khách hàng gửi đến."),
        ),
        signer_capacity="Giám đốc", signer_name=rng.choice(_OFFICIALS),
    )


def _award_spec(producer, product):
    rng = random.Random(f"award {producer.name}")
    province = producer.province
    issued = date(rng.randrange(2022, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
    return DocumentSpec(
        issuer=f"Ủy ban nhân dân\n{province.full_name}",
        number=f"Số: {rng.randrange(100, 3000)}/QĐ-UBND", place_date=f"{province.name}, {_date_words(issued)}",
        title="Giấy khen", subtitle=f"Chủ tịch Ủy ban nhân dân {province.full_name} tặng",
        lines=(
            ("", producer.name),
            ("", f"Đã có thành tích xuất sắc trong gìn giữ, phát triển nghề truyền thống và xây dựng thương hiệu "
                 f"sản phẩm “{product.name}”."),
        ),
        signer_capacity="Chủ tịch", signer_name=rng.choice(_OFFICIALS), copy_stamp=False, landscape=True,
    )


@dataclass
class Dossier:
    """One product's part in the screening story, with its files on their way to disk."""

    producer_index: int
    product: Product
    steps: list
    files: list = field(default_factory=list)  # recorded before the application starts
    later: dict = field(default_factory=dict)  # document type -> file a step adds


def plan_dossiers(producers, products, files):
    """Start drawing and storing every demo file; return the dossiers in :data:`DOSSIERS` order."""
    by_producer = {}
    for product in products:  # in the order PRODUCERS lists them
        by_producer.setdefault(product.producer_id, []).append(product)
    dossiers = []
    for producer_index, position, documents, steps in DOSSIERS:
        producer = producers[producer_index]
        product = by_producer[producer.id][position]
        kinds = [item[0] for item in PRODUCERS[producer_index][6]]
        dossier = Dossier(producer_index, product, steps)
        for angle in range(1, 3 if documents is None else 4):  # None: an unfinished draft, two photos so far
            dossier.files.append(prepare_photo(files, producer, product, kinds[position], angle))
        for document_type in documents or ():
            dossier.files.append(prepare_document(files, producer, product, kinds, position, document_type))
        for step in steps:
            if step == "replace_registration":
                dossier.later["registration"] = prepare_document(files, producer, product, kinds, position,
                                                                 "registration")
            elif step[0] == "add":
                dossier.later[step[1]] = prepare_document(files, producer, product, kinds, position, step[1])
        dossiers.append(dossier)
    return dossiers


def prepare_photo(files, producer, product, kind, angle):
    """Start drawing and storing photo ``angle`` (1, 2 or 3) of ``product``, a product of ``kind``."""
    render = partial(product_photo, product.name, kind, producer.name, angle, len(product.set_items))
    return files.prepare(render, f"{slug(product.name)}-{angle}.jpg")


def prepare_document(files, producer, product, kinds, position, document_type):
    """Start drawing and storing one paper of the dossier; ``kinds`` are the producer's product kinds."""
    if document_type in ("registration", "registration_blurred"):
        blurred = document_type == "registration_blurred"
        spec = _registration_spec(producer, kinds, blurred=blurred)
        name = "ban-chup-dang-ky.pdf" if blurred else "giay-chung-nhan-dang-ky.pdf"
        return files.prepare(partial(document_pdf, spec), name, "document", "registration")
    if document_type == "food_safety":
        names = tuple(p.name for p in producer.products if p.group_code == "2")
        spec = _food_safety_spec(producer, kinds, names)
        return files.prepare(partial(document_pdf, spec), "giay-chung-nhan-attp.pdf", "document", "food_safety")
    if document_type == "quality":
        spec = _quality_spec(producer, product, kinds[position])
        return files.prepare(partial(document_pdf, spec), "phieu-ket-qua-thu-nghiem.pdf", "document", "quality")
    if document_type == "award":
        spec = _award_spec(producer, product)
        return files.prepare(partial(document_jpeg, spec), "giay-khen.jpg", "document", "award")
    raise ValueError(f"unknown demo document {document_type!r}")

