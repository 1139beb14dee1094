"""``/api/v3/sdgs/``: the 17 goals with their targets, in the requested language."""

from django.test import TestCase

from ..learningcity.utils import make_locales

SDGS = "/api/v3/sdgs/"


class SDGsAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_locales()

    def test_lists_goals_in_un_order_with_their_targets(self):
        data = self.client.get(SDGS, {"limit": 100}).json()
        self.assertEqual(data["count"], 17)
        self.assertEqual([goal["number"] for goal in data["items"]], list(range(1, 18)))
        goal4 = data["items"][3]
        self.assertIn("4.7", [target["code"] for target in goal4["targets"]])
        self.assertEqual(sum(len(goal["targets"]) for goal in data["items"]), 169)

    def test_texts_follow_locale_not_accept_language(self):
        english = self.client.get(SDGS, {"locale": "en", "limit": 4}).json()["items"][3]
        self.assertEqual(english["title"], "Quality education")
        dutch = self.client.get(SDGS, {"locale": "nl", "limit": 4}, HTTP_ACCEPT_LANGUAGE="en").json()["items"][3]
        self.assertNotEqual(dutch["title"], english["title"])

    def test_unknown_parameters_and_locales_are_problems(self):
        response = self.client.get(SDGS, {"goal": "4", "locale": "xx"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(
            sorted(tuple(error["loc"]) for error in response.json()["errors"]),
            [("query", "goal"), ("query", "locale")],
        )

    def test_query_count_is_constant(self):
        for limit in (5, 17):
            with self.subTest(limit=limit), self.assertNumQueries(4):
                self.client.get(SDGS, {"limit": limit})
