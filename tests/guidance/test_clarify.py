"""The clarifying-question flow: an ambiguous need gets one or two questions, each answer a refined question that
settles it (no question asked again) and changes the ranking."""

from dichvucong.guidance.engine import clarify


def answer(index, question):
    understood = index.understand(question)
    ranked = index.rank(understood)
    return ranked, clarify(index, understood, ranked)


def test_first_registration_or_again_is_asked_then_settled(full_index):
    ranked, questions = answer(full_index, "ket hon")
    assert ranked[0]["code"] == "1.000894"
    facets = {q["facet"]: q for q in questions}
    assert set(facets) <= {"again", "foreign", "applicant"} and "again" in facets and len(questions) <= 2
    first, again = facets["again"]["options"]
    ranked_again, questions_again = answer(full_index, again["q"])
    assert ranked_again[0]["code"] == "1.004746"  # Đăng ký lại kết hôn
    assert "again" not in {q["facet"] for q in questions_again}
    ranked_first, questions_first = answer(full_index, first["q"])
    assert ranked_first[0]["code"] == "1.000894"
    assert "again" not in {q["facet"] for q in questions_first}


def test_foreign_element_is_asked_then_settled(full_index):
    _, questions = answer(full_index, "ket hon")
    foreign = next(q for q in questions if q["facet"] == "foreign")
    yes = foreign["options"][1]
    ranked, again = answer(full_index, yes["q"])
    assert ranked[0]["code"] == "2.000806"
    assert "foreign" not in {q["facet"] for q in again}


def test_a_precise_question_asks_nothing(full_index):
    _, questions = answer(full_index, "dang ky lai ket hon trong nuoc")
    assert questions == []
    _, questions = answer(full_index, "xin giay phep sua nha")
    assert questions == []
