"""The demo's fixed data: accounts, product kinds, producers and their products, the screening story.

Plain values only, no code: :mod:`voting.demo.seed` turns them into rows,
:mod:`voting.demo.dossiers` into papers, :mod:`voting.demo.results` and
:mod:`voting.demo.nominations` pick producers from :data:`PRODUCERS` by index.
Changing anything here changes the demo that tests pin.
"""
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
     [("mat_ong", "Mật ong hoa rừng Võ Nhai"), ("mat_ong", "Mật ong hoa keo Võ Nhai")]),
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
     "Thôn Hòa Diêm", "Võ Thành Nam",
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
     "Thôn Ngọc Động", "Bùi Thanh Sơn",
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
    ("24", "dnnvv", "Công ty TNHH Vật liệu Cách nhiệt Quế Võ", "Xã Phù Lãng",
     "Thôn Đại Lâm", "Ngô Đức Anh",
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
