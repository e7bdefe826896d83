"""Query understanding: diacritic-less and glued input, typos, slang, segmentation (no database needed)."""

from dichvucong.guidance.engine import Index, normalise


def codes(index, question, n=3):
    return [r["code"] for r in index.rank(index.understand(question))[:n]]


def test_normalise_folds_diacritics_case_and_markup():
    assert normalise("Đăng KÝ  khai-sinh!") == "dang ky khai sinh"
    assert normalise("<script>alert('x')</script>") == "script alert x script"
    assert len(normalise("a " * 1000)) <= 300


def test_diacritic_less_input_is_segmented_into_words(full_index):
    understood = full_index.understand("dang ky khai sinh cho con")
    assert understood.words[:2] == ["dang ky", "khai sinh"]
    with_marks = full_index.understand("đăng ký khai sinh cho con")
    assert with_marks.words == understood.words


def test_words_glued_without_spaces_are_split_into_syllables(full_index):
    assert full_index.split_glued("dangkykhaisinh") == ["dang", "ky", "khai", "sinh"]
    assert full_index.split_glued("lamlaicancuoc") == ["lam", "lai", "can", "cuoc"]
    assert full_index.split_glued("dangkykethon") == ["dang", "ky", "ket", "hon"]
    assert codes(full_index, "dangkykethon", 1) == ["1.000894"]


def test_typos_are_corrected_from_the_neighbours(full_index):
    understood = full_index.understand("khai sinhh cho con")
    assert understood.corrections == {"sinhh": "sinh"}
    assert codes(full_index, "dang ky khai sinhh", 1) == ["1.001193"]


def test_slang_and_abbreviations_expand_to_catalogue_words(full_index):
    assert "can cuoc" in full_index.understand("mat cccd").expansions
    assert codes(full_index, "doi gplx het han", 1) == ["3.000347"]
    assert codes(full_index, "sang ten so do", 1) == ["1.013831"]


def test_the_issue_examples_find_the_right_procedure_first(full_index):
    assert codes(full_index, "con mới sinh", 1) == ["1.001193"]
    assert codes(full_index, "mở quán bán hàng", 1) == ["1.001612"]
    assert codes(full_index, "làm lại căn cước", 1) == ["1.014064"]
    assert codes(full_index, "xin giấy phép sửa nhà", 1) == ["1.013229"]
    assert codes(full_index, "con moi sinh", 1) == ["1.001193"]


def test_every_result_says_why(full_index):
    ranked = full_index.rank(full_index.understand("con moi sinh"))
    assert "con mới sinh" in ranked[0]["why"] and "Sinh con" in ranked[0]["why"]
    assert all(r["why"] for r in ranked)


def test_small_index_without_lexicon_hits_still_ranks_by_bm25():
    index = Index(
        [
            {
                "code": "9.000001",
                "name": "Cấp giấy phép khai thác cát",
                "field_name": "Khoáng sản",
                "applicant_types": "business",
            },
            {
                "code": "9.000002",
                "name": "Đăng ký khai thác nước",
                "field_name": "Tài nguyên nước",
                "applicant_types": "citizen",
            },
        ]
    )
    assert codes(index, "khai thac cat") == ["9.000001", "9.000002"]
    assert codes(index, "qwxzv") == []
