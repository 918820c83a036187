"""A realistic, clearly labelled demo dataset (dữ liệu trình diễn).

Every producer is invented and carries ``is_demo=True``; every account lives
under ``demo.cnnt.vn``. Products are the kinds that provincial and regional
reviews name (miến dong, chè, mật ong, mắc ca, gốm, máy nông nghiệp ...).
The data is fixed and the little randomness (phones, registration numbers)
comes from a seeded generator, so every run produces the same rows.

A dozen products in Thái Nguyên and Khánh Hòa carry a full dossier: three
drawn photos and the papers (registration copy, food-safety certificate, test
report, award; see :mod:`voting.demo.files`), stored through the real upload
checks. Each province's organiser opens a round around today's date (Vietnam
time) and screens the entries, so applications stand in every state, from
draft to withdrawn, with the audit trail and inbox messages the real
operations leave. Only the round dates, the storage names and the timestamps
change from run to run.
"""
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from sqlalchemy import select, update

from voting.core.clock import today_vn
from voting.demo.files import DocumentSpec, FileStore, document_jpeg, document_pdf, product_photo, slug
from voting.extensions import db
from voting.models import (
    ApplicationStatus,
    Commune,
    IssuingAuthority,
    PasswordResetToken,
    Producer,
    Product,
    ProductSetItem,
    Province,
    Region,
    Role,
)
from voting.models.base import utcnow
from voting.operations.accounts import create_staff_account, register_producer
from voting.operations.applications import (
    accept_application,
    reject_application,
    return_application,
    start_application,
    submit_application,
    withdraw_application,
)
from voting.operations.audit import record_event
from voting.operations.products import remove_product_file
from voting.operations.rounds import create_round, open_registration
from voting.core.passwords import hash_password
from voting.core.text import fold, nfc

DEMO_DOMAIN = "demo.cnnt.vn"

#: The demo logins, in the order they are printed. Passwords are public on
#: purpose: this data exists to be shown.
DEMO_ACCOUNTS = [
    {"role": "admin", "email": f"quantri@{DEMO_DOMAIN}", "password": "demo-admin-2026",
     "label": "Quản trị viên", "full_name": "Quản trị hệ thống (demo)", "title": ""},
    {"role": "organiser", "email": f"bct.quocgia@{DEMO_DOMAIN}", "password": "demo-quocgia-2026",
     "label": "Ban tổ chức cấp quốc gia", "full_name": "Vũ Thị Minh Phương",
     "title": "Chuyên viên chính, Bộ Công Thương", "jurisdiction_level": "quoc_gia"},
    {"role": "organiser", "email": f"cuc.phiabac@{DEMO_DOMAIN}", "password": "demo-khuvuc-2026",
     "label": "Ban tổ chức cấp khu vực (phía Bắc)", "full_name": "Đặng Văn Khải",
     "title": "Phó Trưởng phòng Khuyến công, Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
     "jurisdiction_level": "khu_vuc", "region_code": "bac"},
    {"role": "organiser", "email": f"sct.thainguyen@{DEMO_DOMAIN}", "password": "demo-tinh19-2026",
     "label": "Ban tổ chức cấp tỉnh (Thái Nguyên)", "full_name": "Nguyễn Thị Thu Hà",
     "title": "Phó Trưởng phòng Quản lý công nghiệp, Sở Công Thương Thái Nguyên",
     "jurisdiction_level": "tinh", "province_code": "19"},
    {"role": "organiser", "email": f"sct.khanhhoa@{DEMO_DOMAIN}", "password": "demo-tinh56-2026",
     "label": "Ban tổ chức cấp tỉnh (Khánh Hòa)", "full_name": "Phan Ngọc Tuấn",
     "title": "Chuyên viên, Sở Công Thương Khánh Hòa",
     "jurisdiction_level": "tinh", "province_code": "56"},
    {"role": "organiser", "email": f"sct.hanoi@{DEMO_DOMAIN}", "password": "demo-tinh01-2026",
     "label": "Ban tổ chức cấp thành phố (Hà Nội)", "full_name": "Lê Minh Trang",
     "title": "Chuyên viên chính, Sở Công Thương Hà Nội",
     "jurisdiction_level": "tinh", "province_code": "01"},
    {"role": "organiser", "email": f"sct.bacninh@{DEMO_DOMAIN}", "password": "demo-tinh24-2026",
     "label": "Ban tổ chức cấp tỉnh (Bắc Ninh)", "full_name": "Ngô Quang Định",
     "title": "Phó Trưởng phòng Quản lý công nghiệp, Sở Công Thương Bắc Ninh",
     "jurisdiction_level": "tinh", "province_code": "24"},
    {"role": "juror", "email": f"giamkhao.tvminh@{DEMO_DOMAIN}", "password": "demo-jury1-2026",
     "label": "Giám khảo", "full_name": "Trần Văn Minh",
     "title": "TS. Trưởng khoa Công nghệ thực phẩm, Trường Đại học Nông Lâm"},
    {"role": "juror", "email": f"giamkhao.lthnhung@{DEMO_DOMAIN}", "password": "demo-jury2-2026",
     "label": "Giám khảo", "full_name": "Lê Thị Hồng Nhung",
     "title": "ThS. Phó Giám đốc Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"},
    {"role": "juror", "email": f"giamkhao.dqhuy@{DEMO_DOMAIN}", "password": "demo-jury3-2026",
     "label": "Giám khảo", "full_name": "Đỗ Quang Huy", "title": "PGS.TS. Viện Nghiên cứu Cơ khí"},
    {"role": "producer", "email": f"coso.narimiendong@{DEMO_DOMAIN}", "password": "demo-coso-2026",
     "label": "Cơ sở sản xuất (HTX Miến dong Na Rì)", "producer_index": 0},
]

# Product kind -> (group code, description variants). "{place}" is the
# producer's commune, "{province}" its province.
PRODUCT_KINDS = {
    "mien_dong": ("2", [
        "Miến làm từ 100% tinh bột củ dong riềng trồng tại {place}, không dùng chất tẩy trắng. "
        "Sợi miến dai, trong, màu nâu nhạt tự nhiên, nấu không bị nát. Đóng gói túi 500 g và 1 kg, "
        "có tem truy xuất nguồn gốc.",
        "Sợi miến nhỏ, được tráng và phơi nắng theo cách làm truyền thống của đồng bào vùng {place}. "
        "Cơ sở bao tiêu củ dong cho các hộ trồng trong xã. Sản phẩm đạt chứng nhận cơ sở đủ điều kiện "
        "an toàn thực phẩm.",
    ]),
    "mi_gao": ("2", [
        "Mỳ gạo được làm từ gạo bao thai vùng {place}, tráng mỏng, thái sợi và phơi khô tự nhiên. "
        "Sợi mỳ mềm, thơm mùi gạo, không dùng hàn the hay chất bảo quản. Đóng túi 500 g, hạn dùng 12 tháng.",
        "Mỳ làm từ gạo lứt đỏ, giữ lớp cám giàu chất xơ. Sản phẩm được nhiều "
        "khách hàng ăn kiêng lựa chọn và đã có mặt tại các chuỗi cửa hàng nông sản sạch.",
    ]),
    "nghe": ("2", [
        "Tinh bột nghệ được tách từ củ nghệ vàng trồng tại {place} theo quy trình lọc nhiều lần, "
        "đã loại bỏ tinh dầu gây nóng. Hàm lượng curcumin cao, màu vàng tươi. "
        "Đóng lọ thủy tinh 250 g và 500 g.",
        "Curcumin tách chiết từ nghệ vàng {province}, bào chế dạng viên nang dễ sử dụng. Dây chuyền "
        "chiết xuất do cơ sở đầu tư với hỗ trợ của chương trình khuyến công.",
    ]),
    "my_pham": ("4", [
        "Kem dưỡng da chiết xuất từ nghệ và dầu dừa, không chứa paraben. Sản phẩm đã được công bố mỹ phẩm "
        "và bán tại các cửa hàng đặc sản {province}.",
    ]),
    "che": ("2", [
        "Chè búp được hái một tôm hai lá từ đồi chè {place}, sao suốt bằng chảo quay theo kinh nghiệm "
        "của người làm chè lâu năm. Nước xanh vàng sánh, vị chát dịu, hậu ngọt. Đóng hộp 100 g và 200 g.",
        "Vùng chè {place} được canh tác theo hướng hữu cơ, có mã số vùng trồng. Sản phẩm chế biến trên "
        "máy vò và sấy cải tiến, giữ được hương cốm đặc trưng. Bao bì có mã QR truy xuất nguồn gốc.",
    ]),
    "ruou": ("2", [
        "Rượu được nấu từ gạo nếp địa phương ủ men lá theo bí quyết gia truyền của người dân {place}. "
        "Rượu được lọc khử andehit và hạ thổ trong chum sành ít nhất sáu tháng. Nồng độ 29–40 độ, "
        "đóng chai 500 ml.",
        "Sản phẩm giữ cách nấu truyền thống nhưng đã được kiểm nghiệm theo quy chuẩn đồ uống có cồn. "
        "Chai thủy tinh được thiết kế riêng, phù hợp làm quà biếu khi du lịch {province}.",
    ]),
    "mat_ong": ("2", [
        "Mật ong được khai thác từ các đàn ong nuôi tại {place}, quay mật khi ong đã vít nắp. Mật sánh, "
        "màu vàng hổ phách, có mùi thơm đặc trưng của mùa hoa. "
        "Đóng chai 500 ml, đạt chỉ tiêu độ ẩm dưới 20%.",
        "Cơ sở nuôi trên 300 đàn ong, di chuyển theo mùa hoa trong vùng {province}. Mật được lọc "
        "và hạ thủy phần bằng máy, không pha đường. Sản phẩm có tem truy xuất nguồn gốc.",
    ]),
    "mac_ca": ("2", [
        "Hạt mắc ca thu hoạch từ vườn trồng xen cà phê tại {place}, sấy lạnh nhiều ngày rồi tách khe "
        "vỏ để dễ sử dụng. Nhân giòn, béo, vị ngọt tự nhiên. Đóng túi zip 500 g và hộp quà 1 kg.",
        "Nhân mắc ca được rang chín và tẩm muối hồng, đóng gói hút chân không. Sản phẩm được bán "
        "qua các kênh thương mại điện tử và cửa hàng đặc sản {province}.",
    ]),
    "ca_cao": ("2", [
        "Hạt ca cao được lên men đúng kỹ thuật ngay tại vườn ở {place}, sau đó rang và nghiền mịn. "
        "Sô-cô-la có hàm lượng ca cao cao, vị đắng dịu và hậu vị trái cây. Không dùng chất béo thay thế.",
        "Bột ca cao nguyên chất, không đường, được sản xuất từ hạt lên men của các hộ trồng liên kết "
        "với cơ sở. Sản phẩm phù hợp pha chế đồ uống và làm bánh.",
    ]),
    "bun_kho": ("2", [
        "Bún khô được làm từ gạo tẻ địa phương, sợi đều và dai, không dùng hàn the. Quy trình sấy "
        "bằng máy giúp sản phẩm giữ chất lượng ổn định quanh năm. Đóng gói túi 300 g và 500 g.",
        "Sợi bún nhỏ, trắng ngà, được phơi trên giàn tre theo cách làm truyền thống ở {place}. "
        "Sản phẩm đã có mặt tại các siêu thị ở {province}.",
    ]),
    "pho_kho": ("2", [
        "Phở khô được tráng từ gạo tẻ thơm, thái sợi bản vừa và sấy khô, giữ được độ mềm khi chần. "
        "Sản phẩm kèm gói gia vị, tiện dùng cho gia đình và nhà hàng.",
    ]),
    "com_chay": ("2", [
        "Cơm cháy được làm từ gạo ngon nấu chín, cán mỏng, sấy giòn rồi chiên ở nhiệt độ kiểm soát. "
        "Phủ chà bông và mỡ hành, vị giòn, thơm, không dùng chất bảo quản. "
        "Đóng hộp 200 g có nhãn mác đầy đủ.",
        "Sản phẩm là đặc sản quà quê của {place}, được sản xuất trên dây chuyền chiên và đóng gói "
        "nhận hỗ trợ khuyến công. Cơ sở có giấy chứng nhận an toàn thực phẩm.",
    ]),
    "may_tre": ("1", [
        "Sản phẩm đan thủ công từ tre, mây khai thác tại {place}, được xử lý chống mốc và mối mọt. "
        "Kiểu dáng kế thừa hoa văn truyền thống, phù hợp trang trí nội thất và làm quà tặng. "
        "Cơ sở tạo việc làm cho nhiều lao động nữ trong xã.",
        "Nan được chẻ, vót và nhuộm màu tự nhiên trước khi đan theo mẫu thiết kế riêng. Sản phẩm "
        "sản xuất được theo lô lớn và đã xuất khẩu sang một số thị trường châu Âu.",
    ]),
    "gom": ("1", [
        "Gốm được tạo hình thủ công từ đất sét địa phương, nung ở nhiệt độ cao và phủ men tự pha. "
        "Mỗi sản phẩm mang hoa văn riêng của làng nghề {place}. "
        "Đạt tiêu chuẩn an toàn khi dùng với thực phẩm.",
        "Sản phẩm kết hợp kỹ thuật gốm cổ truyền với dáng hiện đại, được bán tại các điểm du lịch "
        "{province} và qua mạng. Cơ sở đã đào tạo thợ trẻ để giữ nghề.",
        "Gốm được nặn tay không dùng bàn xoay và nung lộ thiên bằng rơm, củi theo kỹ thuật cổ truyền "
        "của làng nghề {place}. Sản phẩm mộc, không men, mang màu đỏ cam đặc trưng của đất nung. "
        "Cơ sở đón khách du lịch tham quan và trải nghiệm làm gốm.",
    ]),
    "tam_lop": ("4", [
        "Tấm lợp ba lớp: tôn mạ màu, lõi cách nhiệt và lớp màng nhôm, giúp giảm nhiệt độ trong nhà đáng kể. "
        "Sản phẩm nhẹ, lắp đặt nhanh, phù hợp nhà xưởng và chuồng trại. Được sản xuất trên dây chuyền "
        "cán tạo sóng liên tục.",
        "Tấm panel có lõi cách nhiệt, cách âm, chống cháy lan, sản xuất theo kích thước đặt hàng. "
        "Sản phẩm đã được dùng cho nhiều kho lạnh và nhà xưởng ở {province}.",
    ]),
    "may_nn": ("3", [
        "Máy do cơ sở tự thiết kế và chế tạo, phù hợp với điều kiện canh tác của nông hộ nhỏ. "
        "Máy chạy bằng động cơ điện hoặc diesel, dễ vận hành và sửa chữa, phụ tùng sẵn có. "
        "Năng suất gấp nhiều lần làm thủ công.",
        "Sản phẩm đã được cải tiến qua nhiều phiên bản theo góp ý của bà con nông dân vùng {province}. "
        "Khung thép sơn tĩnh điện, bộ truyền động kín giúp vận hành an toàn. Cơ sở bảo hành 12 tháng.",
    ]),
}

# (province code, type, name, commune, street address, representative, products).
# A product is (kind, name) or (kind, name, description variant); the variant
# defaults to the product's position in the list.
# The commune is looked up by name; if the package renames it, one is picked by index.
PRODUCERS = [
    ("19", "htx", "Hợp tác xã Miến dong Na Rì", "Xã Na Rì", "Thôn Nà Làng", "Hoàng Văn Thắng",
     [("mien_dong", "Miến dong Na Rì"), ("mien_dong", "Miến dong sợi nhỏ Na Rì")]),
    ("19", "dnnvv", "Công ty TNHH Chè Tân Cương Xanh", "Xã Tân Cương", "Xóm Hồng Thái 2", "Nguyễn Thị Lan",
     [("che", "Chè búp Tân Cương đặc biệt"), ("che", "Trà móc câu Tân Cương hộp 200 g")]),
    ("19", "hkd", "Hộ kinh doanh Mật ong Bản Sạng", "Xã Võ Nhai", "Bản Sạng", "Lý Văn Páo",
     [("mat_ong", "Mật ong hoa rừng Võ Nhai"), ("mat_ong", "Mật ong hoa bạc hà Võ Nhai")]),
    ("19", "tht", "Tổ hợp tác Sản xuất, Chế biến và Tiêu thụ Sản phẩm Mây tre đan Truyền thống Làng nghề Đồng Quan xã Phú Bình, Thái Nguyên", "Xã Phú Bình", "Xóm Đồng Quan", "Dương Thị Hoa",
     [("may_tre", "Bộ giỏ mây tre đan Phú Bình"), ("may_tre", "Khay tre cật hun khói")]),
    ("19", "htx", "Hợp tác xã Rượu men lá Định Hóa", "Xã Định Hóa", "Thôn Khuôn Tát", "Ma Văn Đức",
     [("ruou", "Rượu men lá Định Hóa 29 độ"), ("ruou", "Rượu ngô men lá hạ thổ")]),
    ("19", "dnnvv", "Công ty Cổ phần Cơ khí Nông nghiệp Phổ Yên", "Xã Thành Công",
     "Số 86, đường Tân Hương", "Trần Quốc Việt",
     [("may_nn", "Máy sao chè quay liên tục TN-90"), ("may_nn", "Máy vò chè cải tiến VC-35")]),
    ("56", "tht", "Tổ hợp tác Gốm mộc Ninh Phước", "Xã Ninh Phước", "Thôn Bàu Trúc", "Đàng Thị Hạnh",
     [("gom", "Bình gốm mộc nung lộ thiên", 2), ("gom", "Bộ tượng gốm vũ nữ Chăm", 1)]),
    ("56", "htx", "Hợp tác xã Mật ong Khánh Sơn", "Xã Khánh Sơn", "Thôn Tô Hạp", "Mấu Văn Hiền",
     [("mat_ong", "Mật ong rừng Khánh Sơn"), ("mat_ong", "Mật ong hoa sầu riêng Khánh Sơn")]),
    ("56", "dnnvv", "Công ty TNHH Thực phẩm Diên Khánh", "Xã Diên Khánh",
     "Số 14, đường Lạc Long Quân", "Huỳnh Thị Mỹ Dung",
     [("com_chay", "Cơm cháy chà bông Diên Khánh"), ("bun_kho", "Bún khô Diên Khánh")]),
    ("56", "dnnvv", "Công ty Cổ phần Vật liệu xanh Cam Ranh", "Xã Nam Cam Ranh",
     "Lô B3, cụm công nghiệp Cam Thịnh", "Võ Thành Nam",
     [("tam_lop", "Tấm lợp cách nhiệt ba lớp sóng vuông"), ("tam_lop", "Tấm panel cách nhiệt EPS")]),
    ("66", "htx", "Hợp tác xã Ca cao Ea Kar", "Xã Ea Kar", "Thôn 8", "Y Bhim Niê",
     [("ca_cao", "Sô-cô-la đen 70% ca cao Ea Kar"), ("ca_cao", "Bột ca cao nguyên chất Ea Kar")]),
    ("66", "dnnvv", "Công ty TNHH Mắc ca Krông Năng", "Xã Krông Năng",
     "Số 52, đường Hùng Vương", "Phạm Văn Lực",
     [("mac_ca", "Hạt mắc ca nứt vỏ sấy lạnh"), ("mac_ca", "Nhân mắc ca rang muối hồng")]),
    ("66", "hkd", "Hộ kinh doanh Mật ong hoa cà phê Cư M’gar", "Xã Cư M’gar", "Buôn Ea Kmar", "H’Loan Êban",
     [("mat_ong", "Mật ong hoa cà phê Cư M’gar")]),
    ("66", "dnnvv", "Công ty TNHH Cơ khí Chế tạo Krông Pắc", "Xã Krông Pắc",
     "Km 20, Quốc lộ 26", "Nguyễn Hữu Tài",
     [("may_nn", "Máy xát vỏ cà phê tươi KP-1500"), ("may_nn", "Máy sấy nông sản dạng tháp ST-5")]),
    ("68", "htx", "Hợp tác xã Chè Bảo Lâm", "Xã Bảo Lâm 1", "Thôn 5", "Trịnh Văn Hậu",
     [("che", "Trà ô long Bảo Lâm"), ("che", "Trà xanh ướp hoa lài")]),
    ("68", "dnnvv", "Công ty TNHH Mắc ca Di Linh", "Xã Di Linh",
     "Số 9, đường Trần Hưng Đạo", "Lương Thị Thanh Tâm",
     [("mac_ca", "Mắc ca Di Linh sấy nứt vỏ"), ("mac_ca", "Nhân mắc ca rang muối Di Linh")]),
    ("68", "hkd", "Hộ kinh doanh Rượu cần K’Ho Lạc Dương", "Xã Lạc Dương", "Thôn Đarahoa", "Kơ Să K’Dơn",
     [("ruou", "Rượu cần men lá K’Ho"), ("ruou", "Rượu cần ché sành 2 lít")]),
    ("68", "dnnvv", "Công ty TNHH Ca cao Nam Ban", "Xã Nam Ban Lâm Hà", "Tổ dân phố 3", "Đinh Công Bằng",
     [("ca_cao", "Sô-cô-la đen 60% Lâm Hà"), ("ca_cao", "Bột ca cao Nam Ban")]),
    ("68", "tht", "Tổ hợp tác Gốm Bình Đức", "Xã Bắc Bình", "Thôn Bình Đức", "Lưu Thị Lý",
     [("gom", "Bộ nồi đất nung Bình Đức", 2)]),
    ("01", "dnnvv", "Công ty TNHH Gốm sứ Hưng Thịnh Bát Tràng", "Xã Bát Tràng",
     "Số 21, xóm 3", "Phạm Minh Quang",
     [("gom", "Bộ ấm chén men lam Bát Tràng"), ("gom", "Lọ hoa men rạn đắp nổi")]),
    ("01", "htx", "Hợp tác xã Mây tre đan Phú Nghĩa", "Xã Phú Nghĩa", "Thôn Phú Vinh", "Nguyễn Văn Đoàn",
     [("may_tre", "Bộ hộp mây tre đan cao cấp"), ("may_tre", "Đèn mây tre trang trí")]),
    ("01", "hkd", "Hộ kinh doanh Miến dong Cự Đà", "Xã Thanh Oai", "Thôn Cự Đà", "Đỗ Thị Nga",
     [("mien_dong", "Miến dong Cự Đà"), ("mien_dong", "Miến dong sợi nhỏ Cự Đà")]),
    ("01", "dnnvv", "Công ty Cổ phần Thực phẩm Phú Xuyên", "Xã Phú Xuyên",
     "Cụm công nghiệp Phú Xuyên", "Bùi Thanh Sơn",
     [("pho_kho", "Phở khô gạo tẻ Phú Xuyên"), ("bun_kho", "Bún khô sợi nhỏ Phú Xuyên")]),
    ("01", "tht", "Tổ hợp tác Cơ khí Phùng Xá", "Xã Tây Phương", "Thôn Phùng Xá", "Kiều Văn Hải",
     [("may_nn", "Máy băm cỏ đa năng PX-3"), ("may_nn", "Máy tuốt lúa mini")]),
    ("92", "dnnvv", "Công ty TNHH Cơm cháy Phong Điền", "Xã Phong Điền",
     "Ấp Nhơn Lộc 1", "Trương Thị Kim Loan",
     [("com_chay", "Cơm cháy chà bông Phong Điền"), ("com_chay", "Cơm cháy mỡ hành")]),
    ("92", "htx", "Hợp tác xã Bún khô Thới Lai", "Xã Thới Lai", "Ấp Thới Phước", "Nguyễn Văn Út",
     [("bun_kho", "Bún gạo khô Thới Lai"), ("pho_kho", "Phở khô ăn liền Thới Lai")]),
    ("92", "hkd", "Hộ kinh doanh Mật ong Hồ Đắc Kiện", "Xã Hồ Đắc Kiện", "Ấp Phụng Hiệp", "Lâm Văn Chiến",
     [("mat_ong", "Mật ong hoa nhãn Sóc Trăng")]),
    ("92", "dnnvv", "Công ty Cổ phần Cơ khí Thới Hưng", "Xã Thới Hưng", "Số 5, Quốc lộ 80", "Trần Hoàng Phúc",
     [("may_nn", "Máy sấy lúa vỉ ngang SL-8"), ("may_nn", "Máy cắt lúa xếp dãy mini")]),
    ("24", "htx", "Hợp tác xã Mỳ gạo Kiên Lao", "Xã Kiên Lao", "Thôn Thủ Dương", "Giáp Văn Tuấn",
     [("mi_gao", "Mỳ gạo Kiên Lao"), ("mi_gao", "Mỳ gạo lứt đỏ")]),
    ("24", "dnnvv", "Công ty TNHH Vật liệu Cách nhiệt Quế Võ", "Phường Quế Võ",
     "Lô C7, khu công nghiệp Quế Võ", "Ngô Đức Anh",
     [("tam_lop", "Tấm lợp cách nhiệt PU ba lớp"), ("tam_lop", "Tấm panel cách nhiệt bông khoáng")]),
    ("24", "tht", "Tổ hợp tác Gốm Phù Lãng", "Xã Phù Lãng", "Thôn Phù Lãng", "Vũ Văn Thoa",
     [("gom", "Tranh gốm đắp nổi Phù Lãng"), ("gom", "Chum gốm men da lươn")]),
    ("24", "hkd", "Hộ kinh doanh Rượu làng Vân", "Phường Vân Hà", "Thôn Yên Viên", "Nguyễn Thị Hằng",
     [("ruou", "Rượu làng Vân 40 độ"), ("ruou", "Rượu mơ làng Vân")]),
    ("40", "dnnvv", "Công ty Cổ phần Nghệ Việt Nghĩa Đàn", "Xã Nghĩa Đàn",
     "Xóm Đông Hồ", "Hồ Sỹ Lâm",
     [("nghe", "Tinh bột nghệ vàng nguyên chất"),
      ("nghe", "Viên curcumin nghệ vàng"), ("my_pham", "Kem nghệ dưỡng da")]),
    ("40", "htx", "Hợp tác xã Chè Cát Ngạn", "Xã Cát Ngạn", "Xóm Thanh Đức", "Nguyễn Đình Cường",
     [("che", "Chè xanh Thanh Chương"), ("che", "Trà túi lọc Cát Ngạn")]),
    ("40", "htx", "Hợp tác xã Mật ong Con Cuông", "Xã Con Cuông", "Bản Khe Choăng", "Lô Văn Thành",
     [("mat_ong", "Mật ong rừng Pù Mát"), ("mat_ong", "Mật ong hoa keo Con Cuông")]),
    ("40", "tht", "Tổ hợp tác Mây tre đan Yên Thành", "Xã Yên Thành", "Xóm Tân Hội", "Phan Thị Hương",
     [("may_tre", "Đĩa mây tre sơn mài"), ("may_tre", "Bộ làn mây đan nan cật")]),
]

#: Bộ sản phẩm: several items entered as one product.
PRODUCT_SETS = {
    "Bộ giỏ mây tre đan Phú Bình": ("Giỏ đựng hoa quả", "Giỏ đựng đồ có nắp", "Làn đi chợ"),
    "Bộ tượng gốm vũ nữ Chăm": ("Tượng vũ nữ Apsara", "Tượng thiếu nữ đội nước", "Tượng vũ nữ múa quạt"),
    "Bộ ấm chén men lam Bát Tràng": ("Ấm trà men lam", "Chén trà (6 chiếc)", "Khay gỗ"),
}

#: Product kind -> the trade written on registration papers (ngành, nghề kinh doanh).
TRADES = {
    "mien_dong": "Sản xuất miến dong, tinh bột dong riềng", "mi_gao": "Sản xuất mỳ gạo",
    "nghe": "Chế biến tinh bột nghệ", "my_pham": "Sản xuất mỹ phẩm", "che": "Chế biến và đóng gói chè",
    "ruou": "Sản xuất rượu thủ công", "mat_ong": "Nuôi ong, chế biến và đóng gói mật ong",
    "mac_ca": "Chế biến hạt mắc ca", "ca_cao": "Chế biến ca cao", "bun_kho": "Sản xuất bún khô, phở khô",
    "pho_kho": "Sản xuất bún khô, phở khô", "com_chay": "Sản xuất cơm cháy và thực phẩm ăn liền",
    "may_tre": "Sản xuất sản phẩm mây, tre đan", "gom": "Sản xuất sản phẩm gốm",
    "tam_lop": "Sản xuất vật liệu xây dựng cách nhiệt", "may_nn": "Sản xuất máy nông nghiệp",
}
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

# What the organisers write back (Vietnamese, as the demo shows it).
_MSG_FOOD_SAFETY = ("Đề nghị cơ sở bổ sung bản sao giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm "
                    "còn hiệu lực. Các mục khác của hồ sơ đã đầy đủ.")
_MSG_DESCRIPTION = ("Bản thuyết minh sản phẩm còn sơ sài: đề nghị bổ sung quy trình sản xuất, sản lượng "
                    "hằng năm, thị trường tiêu thụ và số lao động của hợp tác xã; ảnh chụp cần thấy rõ nhãn "
                    "hàng hóa trên bao bì.")
_MSG_BLURRED = ("Bản sao giấy chứng nhận đăng ký hộ kinh doanh bị mờ, không đọc được số giấy chứng nhận. "
                "Đề nghị tải lên bản chụp rõ nét.")
_MSG_LABEL = ("Tên sản phẩm trên phiếu đăng ký và trên nhãn chưa thống nhất. Đề nghị cơ sở thống nhất tên "
              "sản phẩm và bổ sung giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm.")
_REASON_ALCOHOL = ("Sản phẩm chưa đáp ứng yêu cầu về an toàn thực phẩm: hồ sơ không có phiếu kết quả kiểm "
                   "nghiệm theo QCVN 6-3:2010/BYT đối với đồ uống có cồn, và cơ sở chưa có giấy phép sản xuất "
                   "rượu thủ công nhằm mục đích kinh doanh.")
_REASON_WITHDRAW = "Cơ sở đang cải tiến bộ truyền động của máy, sẽ đăng ký ở đợt bình chọn sau."

#: The screening story: (producer index, product position, documents, steps). Documents are
#: added before the first step ("registration", "registration_blurred", "food_safety",
#: "quality", "award"; None: no registration copy and only two photos, an unfinished draft).
#: Steps run in order: "submit" (or resubmit), ("return", message), ("reject", reason),
#: "accept", ("withdraw", reason), ("add", document type), "replace_registration".
#: Producer 0 is the demo producer account: its inbox and dossiers tell the whole story.
DOSSIERS = [
    # Thái Nguyên (province 19)
    (0, 0, ("registration",), ["submit", ("return", _MSG_FOOD_SAFETY), ("add", "food_safety"), "submit",
                               "accept"]),
    (0, 1, ("registration", "food_safety"), ["submit", ("return", _MSG_DESCRIPTION)]),
    (1, 0, ("registration", "food_safety", "award"), ["submit", "accept"]),
    (1, 1, ("registration", "food_safety"), ["submit"]),
    (2, 0, ("registration_blurred", "food_safety"), ["submit", ("return", _MSG_BLURRED), "replace_registration",
                                                     "submit"]),
    (3, 0, ("registration",), ["submit", "accept"]),
    (3, 1, None, []),
    (4, 0, ("registration",), ["submit", ("reject", _REASON_ALCOHOL)]),
    (5, 0, ("registration", "quality"), ["submit", "accept"]),
    (5, 1, ("registration", "quality"), ["submit", ("withdraw", _REASON_WITHDRAW)]),
    # Khánh Hòa (province 56)
    (6, 0, ("registration", "award"), ["submit", "accept"]),
    (7, 0, ("registration", "food_safety"), ["submit"]),
    (8, 0, ("registration",), ["submit", ("return", _MSG_LABEL)]),
    (9, 0, ("registration", "quality"), ["submit", "accept"]),
]
#: Provincial rounds open now: province code -> (organiser e-mail, days open so far, days left).
DEMO_ROUNDS = {"19": (f"sct.thainguyen@{DEMO_DOMAIN}", 21, 30), "56": (f"sct.khanhhoa@{DEMO_DOMAIN}", 14, 45)}

_MOBILE_PREFIXES = ("091", "094", "098", "097", "086", "035", "038", "083", "088", "039")
_TYPE_PREFIXES = ("cong ty tnhh ", "cong ty co phan ", "hop tac xa ", "to hop tac ", "ho kinh doanh ")


def _place(commune):
    """Return the commune's bare name for prose ("Xã Bảo Lâm 1" -> "Bảo Lâm")."""
    name = " ".join(commune.name.split()).removeprefix(commune.division_type.capitalize()).strip()
    return re.sub(r"\s+\d+$", "", name)


def _email_slug(name):
    folded = fold(name)
    for prefix in _TYPE_PREFIXES:
        folded = folded.removeprefix(prefix)
    return ".".join(re.findall(r"[a-z0-9]+", folded))


def _registration_number(rng, type_code, province_code, index, taken):
    """Invent a registration number; unique within the demo set."""
    if type_code == "tht" and index % 2 == 0:
        return None  # a tổ hợp tác often has only a cooperation contract
    while True:
        if type_code in ("dnnvv", "htx"):
            number = f"{rng.randrange(10**9, 10**10)}"
        elif type_code == "hkd":
            number = f"{province_code}{rng.choice('ABCDEF')}8{rng.randrange(10**6):06d}"
        else:
            number = f"{rng.randrange(1, 40):02d}/{rng.randrange(2016, 2025)}/HĐHT"
        if number not in taken:
            taken.add(number)
            return number


def _communes(province_ids):
    """Return ``{province_id: {folded name: commune}}`` and ``{province_id: [rural communes]}``."""
    by_name, rural = {}, {}
    rows = db.session.scalars(
        select(Commune).where(Commune.province_id.in_(province_ids)).order_by(Commune.code)
    )
    for commune in rows:
        by_name.setdefault(commune.province_id, {})[fold(commune.name)] = commune
        if commune.division_type == "xã":
            rural.setdefault(commune.province_id, []).append(commune)
    return by_name, rural


def _seed_producers(rng, provinces):
    by_name, rural = _communes([p.id for p in provinces.values()])
    producers, products, taken = [], [], set()
    for index, (code, type_code, name, commune_name, address, representative, items) in enumerate(PRODUCERS):
        province = provinces[code]
        commune = by_name.get(province.id, {}).get(fold(commune_name))
        if commune is None:
            choices = rural.get(province.id)
            if not choices:
                raise RuntimeError(f"Reference data is missing: no communes for province {code}.")
            commune = choices[index % len(choices)]
        producer = Producer(
            name=nfc(name), name_folded=fold(name), type_code=type_code,
            registration_number=_registration_number(rng, type_code, code, index, taken),
            province_id=province.id, commune_id=commune.id, address=nfc(address),
            representative=nfc(representative),
            phone=rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}",
            email=f"{_email_slug(name)}@{DEMO_DOMAIN}", is_demo=True,
        )
        producers.append(producer)
        context = {"place": _place(commune), "province": province.name}
        for position, (kind, product_name, *variant) in enumerate(items):
            group_code, variants = PRODUCT_KINDS[kind]
            text = variants[(variant[0] if variant else position) % len(variants)]
            items = PRODUCT_SETS.get(product_name, ())
            products.append(Product(
                producer=producer, name=nfc(product_name), name_folded=fold(product_name),
                group_code=group_code,
                description=nfc(text.format(**context)),
                is_set=bool(items),
                set_items=[ProductSetItem(name=nfc(item), position=i) for i, item in enumerate(items)],
            ))
    db.session.add_all(producers)
    db.session.add_all(products)
    db.session.flush()
    return producers, products


def _seed_accounts(actor, provinces, regions, producers):
    users = []
    for account in DEMO_ACCOUNTS:
        if account["role"] == Role.PRODUCER:
            producer = producers[account["producer_index"]]
            user = register_producer(account["email"], account["password"], producer.phone,
                                     full_name=producer.representative)
            user.producer = producer
        else:
            user, _token = create_staff_account(
                actor, email=account["email"], full_name=account["full_name"], role=account["role"],
                title=account["title"], jurisdiction_level=account.get("jurisdiction_level"),
                region=regions.get(account.get("region_code")),
                province=provinces.get(account.get("province_code")),
            )
            user.password_hash = hash_password(account["password"])
            user.password_changed_at = utcnow()
        users.append(user)
    db.session.flush()
    # The passwords are set and printed, so the welcome links are spent.
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id.in_([u.id for u in users]), PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return users


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
    address = f"{producer.address}, {commune.name}, {province.kind} {province.name}"
    trades = "; ".join(dict.fromkeys(TRADES[kind] for kind in kinds))
    official = rng.choice(_OFFICIALS)
    if producer.type_code in ("dnnvv", "htx"):
        firm = producer.type_code == "dnnvv"
        return DocumentSpec(
            parent=f"Sở Tài chính {province.kind} {province.name}", issuer="Phòng Đăng ký kinh doanh",
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
            place_date=f"{_place(commune)}, {_date_words(issued)}", blurred=blurred,
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
        place_date=f"{_place(commune)}, {_date_words(issued)}", blurred=blurred,
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
        parent=f"Ủy ban nhân dân {province.kind} {province.name}",
        issuer="Sở Công Thương" if industry else "Sở Nông nghiệp và Môi trường",
        number=f"Số: {rng.randrange(10, 400):03d}/{issued.year}/ATTP-CNĐK",
        place_date=f"{province.name}, {_date_words(issued)}",
        title="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        lines=(
            ("Chứng nhận", producer.name),
            ("Địa chỉ", f"{producer.address}, {producer.commune.name}, {province.kind} {province.name}"),
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
        parent=f"Sở Khoa học và Công nghệ {province.kind} {province.name}",
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
        issuer=f"Ủy ban nhân dân\n{province.kind} {province.name}",
        number=f"Số: {rng.randrange(100, 3000)}/QĐ-UBND", place_date=f"{province.name}, {_date_words(issued)}",
        title="Giấy khen", subtitle=f"Chủ tịch Ủy ban nhân dân {province.kind} {province.name} tặng",
        lines=(
            ("", producer.name),
            ("", f"Đã có thành tích xuất sắc trong gìn giữ, phát triển nghề truyền thống và xây dựng thương hiệu "
                 f"sản phẩm «{product.name}»."),
        ),
        signer_capacity="Chủ tịch", signer_name=rng.choice(_OFFICIALS), copy_stamp=False, landscape=True,
    )


@dataclass
class _Dossier:
    """One product's part in the screening story, with its files on their way to disk."""

    producer_index: int
    product: Product
    steps: list
    files: list = field(default_factory=list)  # recorded before the application starts
    later: dict = field(default_factory=dict)  # document type -> file a step adds


def _plan_dossiers(producers, products, files):
    """Start drawing and storing every demo file; return the dossiers in :data:`DOSSIERS` order."""
    by_producer = {}
    for product in products:  # in the order PRODUCERS lists them
        by_producer.setdefault(product.producer_id, []).append(product)
    dossiers = []
    for producer_index, position, documents, steps in DOSSIERS:
        producer = producers[producer_index]
        product = by_producer[producer.id][position]
        kinds = [item[0] for item in PRODUCERS[producer_index][6]]
        dossier = _Dossier(producer_index, product, steps)
        for angle in range(1, 3 if documents is None else 4):  # None: an unfinished draft, two photos so far
            render = partial(product_photo, product.name, kinds[position], producer.name, angle,
                             len(product.set_items))
            dossier.files.append(files.prepare(render, f"{slug(product.name)}-{angle}.jpg"))
        for document_type in documents or ():
            dossier.files.append(_prepare_document(files, producer, product, kinds, position, document_type))
        for step in steps:
            if step == "replace_registration":
                dossier.later["registration"] = _prepare_document(files, producer, product, kinds, position,
                                                                  "registration")
            elif step[0] == "add":
                dossier.later[step[1]] = _prepare_document(files, producer, product, kinds, position, step[1])
        dossiers.append(dossier)
    return dossiers


def _prepare_document(files, producer, product, kinds, position, document_type):
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


def _seed_rounds(actor_by_email, provinces, today):
    rounds = {}
    for code, (email, opened, left) in DEMO_ROUNDS.items():
        organiser = actor_by_email[email]
        province = provinces[code]
        authority = db.session.scalar(select(IssuingAuthority).where(
            IssuingAuthority.province_id == province.id, IssuingAuthority.jurisdiction_level == "tinh"))
        round_ = create_round(organiser, {
            "title": f"Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu {province.kind} {province.name} "
                     f"năm {today.year}",
            "year": today.year,
            "registration_opens_on": today - timedelta(days=opened),
            "registration_closes_on": today + timedelta(days=left),
        }, authority)
        open_registration(organiser, round_)
        rounds[code] = (round_, organiser)
    return rounds


def _seed_dossiers(actor, producers, dossiers, rounds, files, today):
    """Record the demo files and walk the applications through screening, in order."""
    applications = []
    for dossier in dossiers:
        producer, product = producers[dossier.producer_index], dossier.product
        # The producer's own account acts where there is one; otherwise whoever seeds.
        owner = next((user for user in producer.accounts if user.active), actor)
        for pending in dossier.files:
            files.record(owner, product, pending)
        round_, organiser = rounds[PRODUCERS[dossier.producer_index][0]]
        application = start_application(owner, producer, product, round_, today)
        for step in dossier.steps:
            verb, argument = (step, None) if isinstance(step, str) else step
            if verb == "submit":
                submit_application(owner, application, today)
            elif verb == "return":
                return_application(organiser, application, argument)
            elif verb == "accept":
                accept_application(organiser, application)
            elif verb == "reject":
                reject_application(organiser, application, argument)
            elif verb == "withdraw":
                withdraw_application(owner, application, argument)
            elif verb == "add":
                files.record(owner, product, dossier.later[argument])
            elif verb == "replace_registration":
                old = next(f for f in product.documents if f.document_type == "registration")
                remove_product_file(owner, old)
                db.session.flush()
                files.forget(old)
                db.session.expire(product, ["files"])
                files.record(owner, product, dossier.later["registration"])
            else:
                raise ValueError(f"unknown demo step {verb!r}")
        applications.append(application)
    return applications


def _seed_scoring(users, applications, today):
    from voting.demo.scoring import seed_scoring

    organisers = {u.province.code: u for u in users if u.role == Role.ORGANISER and u.jurisdiction_level == "tinh"}
    jurors = [u for u in users if u.role == Role.JUROR]
    accepted = {code: [a for a in applications if a.status == ApplicationStatus.ACCEPTED
                       and a.round.province_id == organiser.province_id]
                for code, organiser in organisers.items()}
    return seed_scoring(organisers, jurors, accepted, today)


def seed_demo(actor=None):
    """Add the demo producers, products, accounts, files, rounds and applications; return the counts.

    The caller checks that the database holds no demo data yet, and commits.
    Files are written to the uploads storage as they are recorded; if seeding
    fails, those written so far are deleted again.

    :raise RuntimeError: when reference data (provinces, regions) is not loaded.
    """
    provinces = {p.code: p for p in db.session.scalars(select(Province))}
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    needed = {row[0] for row in PRODUCERS}
    needed |= {a["province_code"] for a in DEMO_ACCOUNTS if "province_code" in a}
    if not provinces or not needed <= provinces.keys():
        raise RuntimeError("Reference data is missing: load provinces and communes before seeding the demo.")
    if any(a.get("region_code") not in regions for a in DEMO_ACCOUNTS if "region_code" in a):
        raise RuntimeError("Reference data is missing: regions are not loaded.")
    rng = random.Random(2026)
    producers, products = _seed_producers(rng, provinces)
    today = today_vn()
    from voting.demo import certificates as demo_certificates, history as demo_history, nominations as demo_nominations, results as demo_results  # they import this module

    with FileStore() as files:
        # The files are drawn and stored in the background while the passwords are hashed.
        dossiers = _plan_dossiers(producers, products, files)
        late_dossiers = demo_results.plan_dossiers(producers, files)
        nominated_dossiers = demo_nominations.plan_dossiers(producers, files)
        users = _seed_accounts(actor, provinces, regions, producers)
        rounds = _seed_rounds({u.email: u for u in users}, provinces, today)
        applications = _seed_dossiers(actor, producers, dossiers, rounds, files, today)
        scoring = _seed_scoring(users, applications, today)
        published = demo_results.seed_results(actor, users, producers, files, late_dossiers, today)
        published.update(demo_certificates.seed_certificates(users, today))
        published.update(demo_nominations.seed_nominations(users, producers, files, nominated_dossiers, today))
        published.update(demo_history.seed_history(users, today))
    counts = {"users": len(users), "producers": len(producers), "products": len(products),
              "photos": files.photos, "documents": files.documents, "rounds": len(rounds),
              "applications": len(applications)}
    counts.update(scoring)
    counts.update(published)
    for status in ApplicationStatus:
        counts[f"applications_{status}"] = sum(1 for a in applications if a.status == status)
    record_event(actor, "demo.seed", object_type="demo", data=counts)
    return counts
