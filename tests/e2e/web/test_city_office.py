"""A city office clerk signs in, reads the overview, rounds and figures, filters the clue
ledger, and exports what the filter shows to an .xlsx that opens with Chinese headers."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.web.conftest import WebPage

FIRST_RENDER_SECONDS = 1.0


def test_a_wrong_password_is_refused_in_chinese(web: WebPage) -> None:
    web.sign_in("demo-city", "not-the-password")
    expect(web.page.get_by_role("alert")).to_have_text("用户名或密码错误")
    web.shot("refused")


def test_the_city_office_sees_every_county_and_the_round(web: WebPage) -> None:
    web.sign_in("demo-city")
    page = web.page
    for office in ("示范市", "东湖区", "西山县", "南河县"):
        expect(page.get_by_role("article", name=office)).to_be_visible()
    expect(page.get_by_role("article", name="示范市")).to_contain_text("5")
    expect(page.get_by_role("link", name="管理")).to_have_count(0)
    web.shot("overview")

    page.get_by_role("link", name="巡察轮次").click()
    expect(page.get_by_role("cell", name="示范市2026年第三轮提级巡察")).to_be_visible()
    expect(page.get_by_role("cell", name="陈组长（组长）、刘组员（成员）")).to_be_visible()
    page.get_by_label("联动方式").select_option(label="提级巡察")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("cell", name="提级巡察", exact=True)).to_be_visible()
    web.shot("rounds")

    page.get_by_role("link", name="整改与统计").click()
    expect(page.get_by_role("heading", name="按问题类别")).to_be_visible()
    web.shot("rectification")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("巡察机构", "问题类别", "发现问题", "整改任务")
    assert [row[:2] for row in rows[1:5]] == [
        ("示范市", "合计"),
        ("东湖区", "合计"),
        ("西山县", "合计"),
        ("南河县", "合计"),
    ]
    page.get_by_role("link", name="审计").click()
    expect(page.get_by_role("heading", name="补录事件")).to_be_visible()
    web.shot("audit")


def test_the_ledger_filters_and_exports_the_current_filter(web: WebPage) -> None:
    web.sign_in("demo-city")
    page = web.page
    expect(page.get_by_role("article", name="示范市")).to_be_visible()
    started = time.monotonic()
    page.reload()
    web.open("ledger")
    expect(page.get_by_role("row")).to_have_count(6)  # the header and five clues
    first_render = time.monotonic() - started
    web.note(f"first render of the ledger after a reload: {first_render:.3f} s")
    web.shot("ledger")

    page.get_by_label("问题类别").fill("工程项目")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("link", name="村道硬化工程未经招标直接发包")).to_be_visible()
    web.shot("ledger-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("登记日期", "巡察机构", "被巡察单位", "线索来源", "问题类别", "问题摘要")
    assert [row[4:6] for row in rows[1:]] == [("工程项目", "村道硬化工程未经招标直接发包")]
    assert rows[1][3] == "举报电话"  # the source as its Chinese label
    assert first_render < FIRST_RENDER_SECONDS, f"first render took {first_render:.2f} s"
