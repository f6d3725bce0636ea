"""The README's "Ten questions" SQL runs on a freshly crawled demo database and answers."""

import re
import sqlite3
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo

ROOT = Path(__file__).resolve().parent.parent


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Ten questions for the database", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("readme") / "demo.db"
    assert crawl_demo(db).returncode == 0
    return db


def test_the_readme_asks_ten_questions():
    assert len(readme_queries()) == 10


@pytest.mark.parametrize("number", range(10))
def test_each_readme_question_answers_on_the_demo(demo_db, number):
    sql = readme_queries()[number]
    with sqlite3.connect(demo_db) as conn:
        rows = conn.execute(sql).fetchall()
    assert rows, f"question {number + 1} returned no rows:\n{sql}"
