import unicodedata

from vietnamese.text import fold, normalize_text, person_sort_key


def test_fold_ignores_case_and_diacritics():
    assert fold("Quế Phú") == "que phu"
    assert fold("ĐẢNG BỘ") == "dang bo"
    assert fold(unicodedata.normalize("NFD", "Đảng bộ xã Quế Phú")) == "dang bo xa que phu"


def test_normalize_text_turns_nfd_into_nfc_and_collapses_spaces():
    nfd = unicodedata.normalize("NFD", "  Quế   Phú ")
    assert nfd != "Quế Phú"
    assert normalize_text(nfd) == "Quế Phú"


def test_people_sort_by_given_name_then_family_name():
    names = [
        "Nguyễn Văn Bình",
        "Trần Thị An",
        "Lê Văn An",
        "Phạm Minh Ân",
        "Đỗ Thị Dung",
        "Bùi Văn Đạt",
    ]
    ordered = sorted(names, key=person_sort_key)
    assert ordered == [
        "Lê Văn An",
        "Trần Thị An",
        "Phạm Minh Ân",
        "Nguyễn Văn Bình",
        "Đỗ Thị Dung",
        "Bùi Văn Đạt",
    ]


def test_vietnamese_letter_order_d_before_đ_and_vowel_shapes():
    assert person_sort_key("X Dũng") < person_sort_key("X Đạt")
    assert (
        person_sort_key("X Anh")
        < person_sort_key("X Ăn")
        < person_sort_key("X Ân")
        < person_sort_key("X Bá")
    )
    assert person_sort_key("X Oanh") < person_sort_key("X Ông") < person_sort_key("X Ơn")


def test_tones_only_break_ties():
    # "An" (no tone) < "Án" (sắc); but "Án" < "Anh" because the letters decide first.
    assert person_sort_key("X An") < person_sort_key("X Án") < person_sort_key("X Anh")


def test_sort_key_is_digits_only_so_every_collation_agrees():
    assert person_sort_key("Nguyễn Thị Hồng Nhung").isdigit()


def test_nfc_and_nfd_names_get_the_same_key():
    name = "Nguyễn Thị Hằng"
    assert person_sort_key(name) == person_sort_key(unicodedata.normalize("NFD", name))
