"""``learningcity.api.answer``: a domain endpoint's 200, validated against its schema and written as JSON."""

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase
from pydantic import ValidationError

from learningcity.api import ResponseSchema, answer


class PriceOut(ResponseSchema):
    start: datetime
    price: Decimal | None
    labels: list[str]


class PriceList(ResponseSchema):
    count: int
    items: list[PriceOut]


class AnswerTests(SimpleTestCase):
    def test_the_body_holds_what_the_schema_documents_and_nothing_else(self):
        start = datetime(2026, 3, 4, 19, 0, 0, 250000, tzinfo=ZoneInfo("Europe/Amsterdam"))
        response = answer(
            PriceList,
            {"count": 1, "items": [{"start": start, "price": Decimal("2.50"), "labels": ["a"], "draft": "secret"}]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(
            json.loads(response.content),
            {"count": 1, "items": [{"start": "2026-03-04T19:00:00.250000+01:00", "price": "2.50", "labels": ["a"]}]},
        )

    def test_a_value_outside_the_schema_is_an_error_not_an_answer(self):
        with self.assertRaises(ValidationError):
            answer(PriceList, {"count": "many", "items": []})
        with self.assertRaises(ValidationError):
            answer(PriceList, {"count": 1})
