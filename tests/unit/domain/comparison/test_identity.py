"""Identity numbers are checked per GB 11643 and shown masked."""

from __future__ import annotations

import pytest

from domain.comparison.identity import id_number_problem, masked_id_number, masked_name
from tests.support.comparison import id_number


def test_a_generated_identity_number_passes_and_a_known_one_with_x_too() -> None:
    assert id_number_problem(id_number(7)) is None
    assert id_number_problem("11010519491231002X") is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("110105194912310021", "check character"),
        ("11010519491331002X", "birth date"),
        ("1101051949123100", "17 digits"),
        ("11010519491231002x", "17 digits"),
    ],
)
def test_a_wrong_identity_number_is_refused_with_the_reason(text: str, why: str) -> None:
    assert why in (id_number_problem(text) or "")


def test_evidence_shows_the_first_and_last_four_characters_and_the_surname_only() -> None:
    assert masked_id_number("370102198001011234") == "3701**********1234"
    assert masked_name("张三") == "张*"
    assert masked_name("欧阳修文") == "欧***"
