"""Demo history: certificates issued on paper before the platform, imported as an administrator would.

Four files, one per round, sized like the real ones (domain README, "Real
volumes"): the national rounds of 2019 (150 certified) and 2021 (200), the
regional round of 2022 in the South (200) and the regional rounds of 2024 in
all three regions (439, one decision per region). Provinces are written as
they were named then, former provinces included (Bắc Kạn, Hà Giang, Thừa
Thiên Huế ...); the import links each to the current unit. Products and
producers are invented from a seeded generator, so every run gives the same
rows; the group mix follows the national round of 2023 (109 processing, 25
mechanical, 17 handicraft, 22 other of 173). The rows go through
:func:`certificates.operations.past_imports.import_certificates`, checks and audit event
included (:func:`certificates.demo.seed_history`, the demo's "history" part); the file names say that
the data is a demonstration.
"""
from datetime import date

from voting.documents.import_workbook import COLUMNS

BCT = "Bộ Công Thương"
CUC = "Cục Công Thương địa phương"  # the Cục's name from 2017 until the 2025 reorganisation
#: How long a certificate of these years stays valid (the OCOP default the platform also uses).
VALID_YEARS = 3

#: (file name, level as written, year, authority, [(decision number, date, former region or None, count)],
#: certificate number template). Regional 2022 was the South's round; 2024 had one round per region.
BATCHES = (
    ("du-lieu-trinh-dien-chung-nhan-quoc-gia-2019.xlsx", "Cấp quốc gia", 2019, BCT,
     [("4759/QĐ-BCT", date(2019, 12, 25), None, 150)], "{seq:03d}/2019/GCN-BCT"),
    ("du-lieu-trinh-dien-chung-nhan-quoc-gia-2021.xlsx", "Cấp quốc gia", 2021, BCT,
     [("3820/QĐ-BCT", date(2021, 12, 28), None, 200)], "{seq:03d}/2021/GCN-BCT"),
    ("du-lieu-trinh-dien-chung-nhan-khu-vuc-2022.xlsx", "Cấp khu vực", 2022, CUC,
     [("1215/QĐ-CTĐP", date(2022, 11, 18), "nam", 200)], "KVN-{seq:03d}/2022/GCN-CTĐP"),
    ("du-lieu-trinh-dien-chung-nhan-khu-vuc-2024.xlsx", "Cấp khu vực", 2024, CUC,
     [("986/QĐ-CTĐP", date(2024, 10, 30), "bac", 190), ("1047/QĐ-CTĐP", date(2024, 11, 15), "trung", 109),
      ("1102/QĐ-CTĐP", date(2024, 11, 29), "nam", 140)], "KV{region}-{seq:03d}/2024/GCN-CTĐP"),
)
REGION_LETTER = {"bac": "B", "trung": "T", "nam": "N"}
#: Product group -> weight: the national round of 2023 (17 handicraft, 109 processing, 25 mechanical, 22 other).
GROUP_MIX = {"1": 17, "2": 109, "3": 25, "4": 22}
#: Bắc Kạn products per (level, year): the province merged into Thái Nguyên on 1/7/2025.
BAC_KAN = {("Cấp quốc gia", 2019): 3, ("Cấp quốc gia", 2021): 4, ("Cấp khu vực", 2024): 6}

# Product kinds by group: (name, trade for the producer's name[, where it is made]). "{p}" is the province's name
# then, "{l}" a locality, "{m}" a machine model code. Where: former regions (any of them) and places (each of
# them): "coast" (fish sauce, shrimp paste), "upland" (Shan tuyết tea, corn liquor, brocade, smoked buffalo).
KINDS = {
    "1": [("Gốm men lam {l}", "Gốm"), ("Bình gốm men rạn {l}", "Gốm"), ("Bộ giỏ mây tre đan {l}", "Mây tre đan"),
          ("Đèn mây tre trang trí {l}", "Mây tre đan"), ("Khăn thổ cẩm dệt tay {p}", "Dệt thổ cẩm", "bac trung upland"),
          ("Tranh sơn mài {l}", "Sơn mài"), ("Hộp khảm trai {l}", "Khảm trai"), ("Tượng gỗ chạm khắc {l}", "Mộc mỹ nghệ"),
          ("Nón lá {l}", "Nón lá"), ("Chiếu cói {l}", "Cói", "bac trung"), ("Túi xách lục bình {l}", "Thủ công mỹ nghệ", "nam"),
          ("Tranh thêu tay {l}", "Thêu ren"), ("Bộ đồ đồng mỹ nghệ {l}", "Đúc đồng"), ("Đèn lồng vải {l}", "Đèn lồng")],
    "2": [("Miến dong {p}", "Miến dong", "bac"), ("Mỳ gạo {l}", "Mỳ gạo"), ("Bún khô {l}", "Bún khô"), ("Phở khô {l}", "Phở khô"),
          ("Bánh đa nem {l}", "Bánh đa"), ("Chè búp {l}", "Chè"), ("Trà xanh túi lọc {l}", "Chè"),
          ("Chè Shan tuyết {p}", "Chè", "bac upland"), ("Mật ong hoa rừng {p}", "Mật ong"), ("Mật ong hoa nhãn {l}", "Mật ong"),
          ("Nước mắm cá cơm {l}", "Nước mắm", "coast"), ("Tinh bột nghệ {l}", "Tinh bột nghệ"), ("Tinh bột sắn dây {l}", "Nông sản"),
          ("Cà phê rang xay {l}", "Cà phê"), ("Hạt điều rang muối {p}", "Hạt điều", "trung nam"), ("Hạt mắc ca sấy nứt vỏ {l}", "Mắc ca", "bac trung"),
          ("Sô-cô-la ca cao {p}", "Ca cao", "trung nam"), ("Cơm cháy chà bông {l}", "Cơm cháy"), ("Rượu nếp cái hoa vàng {l}", "Rượu", "bac"),
          ("Rượu ngô men lá {p}", "Rượu", "bac upland"), ("Giò bò {l}", "Thực phẩm"), ("Lạp xưởng {l}", "Thực phẩm"),
          ("Măng khô {p}", "Lâm sản", "bac trung"), ("Nấm hương khô {l}", "Nông sản"), ("Gạo nếp cái hoa vàng {l}", "Nông sản", "bac"),
          ("Tỏi đen {l}", "Nông sản"), ("Nước yến {p}", "Yến sào", "trung nam"), ("Trà atiso túi lọc {l}", "Dược liệu", "trung"),
          ("Thịt trâu gác bếp {p}", "Thực phẩm", "bac upland"), ("Bánh tráng {l}", "Bánh tráng", "trung nam"), ("Mít sấy giòn {l}", "Nông sản"),
          ("Xoài sấy dẻo {l}", "Nông sản", "trung nam"), ("Thanh long sấy {l}", "Nông sản", "nam"), ("Kẹo dừa {l}", "Kẹo dừa", "nam"),
          ("Kẹo lạc {l}", "Bánh kẹo"), ("Tương bần {l}", "Thực phẩm", "bac"), ("Mắm tôm {l}", "Nước mắm", "coast"),
          ("Cao dược liệu {p}", "Dược liệu"), ("Bánh cốm {l}", "Bánh kẹo"), ("Mứt gừng {l}", "Bánh kẹo")],
    "3": [("Máy tuốt lúa {m}", "Cơ khí"), ("Máy thái chuối {m}", "Cơ khí"), ("Máy sao chè {m}", "Cơ khí", "bac trung"),
          ("Máy vò chè {m}", "Cơ khí", "bac trung"), ("Máy băm cỏ {m}", "Cơ khí"), ("Máy xay xát gạo {m}", "Cơ khí"),
          ("Máy sấy nông sản {m}", "Cơ khí"), ("Máy bóc vỏ lạc {m}", "Cơ khí"), ("Máy gieo hạt {m}", "Cơ khí"),
          ("Máy ấp trứng {m}", "Cơ khí"), ("Máy tách hạt ngô {m}", "Cơ khí"), ("Máy ép viên thức ăn chăn nuôi {m}", "Cơ khí"),
          ("Dao rèn thủ công {l}", "Rèn"), ("Bộ nông cụ cầm tay {l}", "Rèn")],
    "4": [("Tấm lợp cách nhiệt {l}", "Vật liệu xây dựng"), ("Gạch không nung {l}", "Vật liệu xây dựng"),
          ("Xà phòng thảo mộc {l}", "Thảo mộc"), ("Tinh dầu sả chanh {p}", "Tinh dầu"), ("Tinh dầu quế {p}", "Tinh dầu", "bac trung"),
          ("Phân bón hữu cơ vi sinh {l}", "Phân bón"), ("Nhang trầm {l}", "Nhang trầm"),
          ("Dầu gội bồ kết {l}", "Thảo mộc"), ("Kem nghệ dưỡng da {p}", "Mỹ phẩm"), ("Than sinh học {l}", "Năng lượng")],
}
#: The former provinces on the sea, and those with the northern mountains or the Trường Sơn and the highlands.
PLACES = {
    "coast": frozenset(("Quảng Ninh", "Hải Phòng", "Thái Bình", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An",
                        "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Đà Nẵng", "Quảng Nam", "Quảng Ngãi",
                        "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Bà Rịa - Vũng Tàu",
                        "Thành phố Hồ Chí Minh", "Tiền Giang", "Bến Tre", "Trà Vinh", "Sóc Trăng", "Bạc Liêu",
                        "Cà Mau", "Kiên Giang")),
    "upland": frozenset(("Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu",
                         "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Phú Thọ", "Thanh Hóa", "Nghệ An",
                         "Quảng Nam", "Quảng Ngãi", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng")),
}
#: Bắc Kạn's own products, as its certificates named them.
BAC_KAN_PRODUCTS = [
    ("Miến dong Na Rì", "2", "Miến dong"), ("Khẩu sli Chợ Mới", "2", "Bánh kẹo"),
    ("Trà hoa vàng Ba Bể", "2", "Chè"), ("Cam sành sấy dẻo Bắc Kạn", "2", "Nông sản"),
    ("Mơ ngâm đường Bắc Kạn", "2", "Nông sản"), ("Tinh dầu quế Bắc Kạn", "4", "Tinh dầu"),
    ("Khăn thổ cẩm Tày Ba Bể", "1", "Dệt thổ cẩm"), ("Máy thái dong riềng BK-02", "3", "Cơ khí"),
]
#: Commune names common in each former region (invented places keep the demo from naming real ones).
LOCALITIES = {
    "bac": ("Tân Lập", "Hợp Thành", "Đồng Tâm", "Quang Trung", "Minh Khai", "Xuân Phương", "Hưng Đạo", "Yên Bình",
            "Thanh Sơn", "Đông Hưng", "Kim Sơn", "Hòa An", "Phú Lương", "Tiên Phong", "Đại Đồng", "Liên Minh"),
    "trung": ("Hòa Thuận", "Phước Hòa", "Tân An", "Ninh Thọ", "Hòa Phong", "Sơn Thành", "Ea Tiêu", "Cư Yang",
              "Hòa Hiệp", "Điện Quang", "Tịnh Phong", "Quảng Phú", "Đức Lập", "Tam Thăng"),
    "nam": ("Tân Phú", "Long Hưng", "Mỹ Thạnh", "Phú Hòa", "An Bình", "Tân Hiệp", "Vĩnh Thạnh", "Long Phước",
            "Mỹ Hòa", "Tân Thới", "Phước Thạnh", "Hòa Lợi", "An Thạnh", "Thạnh Phú"),
}
BRANDS = ("Hưng Phát", "Thành Đạt", "Phúc Lộc", "An Khang", "Minh Tâm", "Việt Hương", "Hoàng Long", "Tân Tiến",
          "Đại Phát", "Thiên An", "Hòa Bình Xanh", "Kim Ngân", "Bảo Anh", "Nam Việt", "Trường Sơn", "Sông Hồng",
          "Mekong Xanh", "Đất Việt", "Hồng Hà", "Vạn Xuân")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Hà", "Triệu")
#: (middle names, given names) of women, then of men.
PERSONS = ((("Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Thị Thanh"),
            ("Lan", "Hoa", "Nga", "Mai", "Hạnh", "Hương", "Yến", "Thảo", "Huyền", "Loan")),
           (("Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Công"),
            ("Hùng", "Tuấn", "Thắng", "Dũng", "Sơn", "Bình", "Cường", "Phúc", "Hải", "Long")))
#: Producer types and their share: doanh nghiệp, hợp tác xã, hộ kinh doanh, tổ hợp tác.
TYPE_MIX = (("dnnvv", 35), ("htx", 30), ("hkd", 25), ("tht", 10))
#: Written then with its prefix, as certificates do.
WRITTEN_AS = {"Thành phố Hồ Chí Minh": "TP. Hồ Chí Minh"}


def _apportion(total, weights):
    """Split ``total`` by ``weights`` (largest remainder); return ``{key: count}``."""
    whole = sum(weights.values())
    shares = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(s) for k, s in shares.items()}
    for key in sorted(shares, key=lambda k: shares[k] - counts[k], reverse=True)[:total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _made_in(kind, province, region):
    """True if the product ``kind`` is one of the former ``province``'s: in one of its regions and every place."""
    where = kind[2].split() if len(kind) > 2 else []
    regions = [w for w in where if w not in PLACES]
    return (not regions or region in regions) and all(province in PLACES[w] for w in where if w in PLACES)


class _Producers:
    """Invented producers, kept per province so that some of them return in later rounds."""

    def __init__(self, rng):
        self.rng = rng
        self.by_province = {}  # province then -> [(producer name, group, product name)]

    def _name(self, trade, group, region):
        rng = self.rng
        kind = rng.choices([k for k, _ in TYPE_MIX], [w for _, w in TYPE_MIX])[0]
        if kind == "dnnvv":
            field = {"1": "Thủ công mỹ nghệ", "2": "Thực phẩm", "3": "Cơ khí", "4": "Sản xuất và Thương mại"}[group]
            return f"{rng.choice(('Công ty TNHH', 'Công ty Cổ phần'))} {field} {rng.choice(BRANDS)}"
        if kind in ("htx", "tht"):
            return f"{'Hợp tác xã' if kind == 'htx' else 'Tổ hợp tác'} {trade} {rng.choice(LOCALITIES[region])}"
        middles, given = rng.choice(PERSONS)
        return f"Hộ kinh doanh {rng.choice(SURNAMES)} {rng.choice(middles)} {rng.choice(given)}"

    def _product(self, province, region, group, trade=None):
        """A new product name of the group (of the producer's trade, if given) that suits the region."""
        rng = self.rng
        kinds = [k for k in KINDS[group] if _made_in(k, province, region)]
        if trade is not None:
            kinds = [k for k in kinds if k[1] == trade] or kinds
        template, trade = rng.choice(kinds)[:2]
        model = f"{''.join(rng.choice('ABCDHKLMNPSTV') for _ in range(2))}-{rng.randrange(1, 20) * 10}"
        return template.format(p=province, l=rng.choice(LOCALITIES[region]), m=model), trade

    def entry(self, province, region, group, fixed=None):
        """Return ``(product name, group, producer name)`` of one certified product of the province.

        A producer certified before comes back now and then, with the same product or another of its trade.
        """
        rng = self.rng
        known = self.by_province.setdefault(province, [])
        if fixed is not None:
            product, group, trade = fixed
            producer = next((e[0] for e in known if e[2] == product), None)  # the product's earlier producer
        else:
            earlier = [e for e in known if e[1] == group]
            if earlier and rng.random() < 0.3:
                producer, _group, product, trade = rng.choice(earlier)
                if rng.random() >= 0.5:  # another product of the same trade
                    product, trade = self._product(province, region, group, trade)
            else:
                producer = None
                product, trade = self._product(province, region, group)
        producer = producer or self._name(trade, group, region)
        known.append((producer, group, product, trade))
        return product, group, producer


def history_rows(former_provinces, rng):
    """Every file's rows, header first: ``[(file name, rows)]``.

    :param former_provinces: ``[(name, former region code)]`` of the 63 provinces before 2025.
    """
    producers = _Producers(rng)
    files = []
    for file_name, level, year, authority, decisions, template in BATCHES:
        rows = [tuple(c.header for c in COLUMNS)]
        for decision_number, decided_on, region, count in decisions:
            pool = [(name, code) for name, code in former_provinces if region is None or code == region]
            bac_kan = BAC_KAN.get((level, year), 0) if ("Bắc Kạn", "bac") in pool else 0
            groups = [g for g, n in _apportion(count, GROUP_MIX).items() for _ in range(n)]
            rng.shuffle(groups)
            entries = []
            for index, group in enumerate(groups):
                if index < bac_kan:
                    fixed = BAC_KAN_PRODUCTS[(index + year) % len(BAC_KAN_PRODUCTS)]
                    entries.append(("Bắc Kạn", *producers.entry("Bắc Kạn", "bac", fixed[1], fixed)))
                else:
                    province, province_region = rng.choice([p for p in pool if p[0] != "Bắc Kạn"])
                    entries.append((province, *producers.entry(province, province_region, group)))
            rng.shuffle(entries)
            entries.sort(key=lambda e: (e[2], e[0]))  # the decisions list by group, then province
            valid_until = decided_on.replace(year=decided_on.year + VALID_YEARS)
            for seq, (province, product, group, producer) in enumerate(entries, start=1):
                number = template.format(seq=seq, region=REGION_LETTER.get(region, ""))
                rows.append((number, level, year, decision_number, decided_on, authority, product, group, producer,
                             WRITTEN_AS.get(province, province), valid_until))
        files.append((file_name, rows))
    return files
