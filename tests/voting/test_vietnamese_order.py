"""Lists of provinces and names in Vietnamese alphabetical order (CLDR's collation through ICU), issue 18."""
import json
import re
import unicodedata

from voting.core.text import collate, province_name_key, sort_key


def test_letters_with_marks_follow_their_base_letter():
    # â is a letter after a (Lâm after Lạng, whose tone mark weighs only on a tie); Đ is a letter after D.
    assert collate(["Lâm Đồng", "Lạng Sơn"]) == ["Lạng Sơn", "Lâm Đồng"]
    assert collate(["Đà Nẵng", "Dương Minh Châu", "Gia Lai"]) == ["Dương Minh Châu", "Đà Nẵng", "Gia Lai"]
    assert collate(["Ơn", "Ong", "Ô Môn", "Ăn", "Ân", "An Giang"]) == ["An Giang", "Ăn", "Ân", "Ong", "Ô Môn", "Ơn"]


def test_tone_marks_weigh_only_when_the_letters_tie():
    assert collate(["Hà Tĩnh", "Hải Phòng", "Hà Nội"]) == ["Hà Nội", "Hà Tĩnh", "Hải Phòng"]
    assert sort_key("hòa") < sort_key("hỏa") < sort_key("hóa")


def test_the_key_ignores_the_unicode_form_and_orders_none_first():
    assert sort_key(unicodedata.normalize("NFD", "Đắk Lắk")) == sort_key("Đắk Lắk")
    assert sort_key(None) == sort_key("") < sort_key("An Giang")


def test_collate_takes_a_key_and_keeps_ties_in_their_order():
    rows = [(3, "Lâm Đồng"), (1, "Lạng Sơn"), (2, "Lạng Sơn")]
    assert collate(rows, key=lambda row: row[1]) == [(1, "Lạng Sơn"), (2, "Lạng Sơn"), (3, "Lâm Đồng")]


def _options(html, select_name):
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [unicodedata.normalize("NFC", label.strip()) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)
            if label.strip() and not label.strip().startswith("—")]


def test_the_producer_profile_lists_provinces_in_vietnamese_order(client, logged_in):
    logged_in("producer")
    names = _options(client.get("/producer/profile").get_data(as_text=True), "province")
    assert len(names) == 34 and names == collate(names, key=province_name_key)
    assert names.index("Lạng Sơn") < names.index("Lâm Đồng")  # by code point (and by the folded name) it is the other way
    # Alphabetised without the kind word: Ho Chi Minh City sits under H, where people look for it.
    assert names.index("Hải Phòng") < names.index("Thành phố Hồ Chí Minh") < names.index("Huế") < names.index("Lai Châu")


def test_the_registry_filter_lists_provinces_in_vietnamese_order(client):
    names = _options(client.get("/registry/").get_data(as_text=True), "province")[1:]  # after "Mọi tỉnh, thành phố"
    assert len(names) == 34 and names == collate(names, key=province_name_key)
    assert names.index("Lạng Sơn") < names.index("Lâm Đồng")


def test_the_commune_picker_lists_communes_in_vietnamese_order(client):
    names = [row["name"] for row in json.loads(client.get("/reference/provinces/19/communes.json").get_data())]
    assert names == collate(names)
    # By code point "Xã Đại Từ" would come after every "Xã Y...": Đ is a letter between D and E.
    assert names.index("Xã Dân Tiến") < names.index("Xã Đại Từ") < names.index("Xã La Bằng")


def test_the_organiser_dashboard_lists_producers_in_vietnamese_order(app, client, make_user, logged_in):
    from tests.factories import make_producer
    from voting.extensions import db
    from voting.models import User

    names = ["Hợp tác xã Đồng Tâm", "Hợp tác xã Lâm Sơn", "Hợp tác xã Dương Liễu", "Hợp tác xã Lạng Giang"]
    owners = [make_user("producer") for _name in names]
    with app.app_context():
        for index, (name, owner) in enumerate(zip(names, owners, strict=True)):
            make_producer(db.session.get(User, owner.id), name=name, registration_number=f"470077{index:04d}",
                          phone=f"09123400{index:02d}")
        db.session.commit()
    logged_in("organiser")
    page = unicodedata.normalize("NFC", client.get("/organiser/").get_data(as_text=True))
    shown = sorted(names, key=page.index)
    assert shown == ["Hợp tác xã Dương Liễu", "Hợp tác xã Đồng Tâm", "Hợp tác xã Lạng Giang", "Hợp tác xã Lâm Sơn"]
