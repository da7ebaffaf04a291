"""A county team member registers a clue found in the field (a refusal shown next to the field
it concerns), is refused a transfer before triage, triages and transfers the clue, and replays
it as it stood before the transfer with the as-of control."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from services.imports.clue_rows import clue_template
from tests.e2e.web.conftest import WebPage

SUMMARY = "村务公开栏长期未更新，财务收支未公示"


def test_a_county_team_registers_triages_transfers_and_replays_a_clue(web: WebPage) -> None:
    web.sign_in("demo-county")
    page = web.page
    expect(page.get_by_role("article", name="东湖区")).to_be_visible()
    expect(page.get_by_role("link", name="管理")).to_have_count(0)
    expect(page.get_by_role("link", name="审计")).to_have_count(0)

    page.get_by_role("link", name="线索登记").click()
    form = page.get_by_role("form", name="线索登记")
    form.get_by_label("被巡察单位").select_option(label="东湖区第1镇2村")
    form.get_by_label("问题类别").fill("村务公开")
    form.get_by_role("button", name="提交").click()
    summary_field = form.locator('.field[data-field="summary"]')
    expect(summary_field.get_by_role("alert")).to_contain_text("输入有误")
    expect(summary_field.get_by_role("alert")).to_contain_text("summary must not be empty")
    web.shot("register-refused")

    form.get_by_label("问题摘要").fill(SUMMARY)
    form.get_by_role("button", name="提交").click()
    page.get_by_role("link", name=SUMMARY).click()
    expect(page.get_by_role("heading", name=f"线索详情 · {SUMMARY}")).to_be_visible()
    expect(page.get_by_role("definition").first).to_have_text("已登记")

    transfer = page.get_by_role("form", name="移交", exact=True)
    transfer.get_by_label("承办机关").select_option(index=0)
    transfer.get_by_role("button", name="移交").click()
    expect(transfer.get_by_role("alert")).to_have_text("问题线索须先研判分类，再移交")
    web.shot("clue-refused")

    page.wait_for_timeout(1100)  # whole seconds: the moment lies after the registration
    before_transfer = page.evaluate(
        "new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 19)"
    )
    page.wait_for_timeout(1100)  # the as-of moment lies strictly before what follows
    triage = page.get_by_role("form", name="研判", exact=True)
    triage.get_by_label("优先级").select_option(label="重点关注类")
    triage.get_by_label("拟处置方式").fill("移交纪委监委")
    triage.get_by_role("button", name="研判").click()
    expect(page.get_by_role("definition").first).to_have_text("已研判")
    transfer = page.get_by_role("form", name="移交", exact=True)
    transfer.get_by_label("承办机关").select_option(label="纪委监委")
    transfer.get_by_role("button", name="移交").click()
    expect(page.get_by_role("definition").first).to_have_text("已移交")
    expect(page.get_by_role("listitem").filter(has_text="Transferred")).to_contain_text(
        "哈希链完整"
    )
    web.shot("clue-transferred")

    page.get_by_role("textbox", name="历史时点").fill(before_transfer)
    page.get_by_role("button", name="查看该时点").click()
    expect(page.get_by_role("definition").first).to_have_text("已登记")
    expect(page.get_by_role("form", name="移交", exact=True)).to_have_count(0)
    web.shot("clue-as-of")


def test_a_county_team_registers_clues_in_bulk_from_a_filled_in_template(
    web: WebPage, tmp_path: Path
) -> None:
    book = load_workbook(io.BytesIO(clue_template()))
    sheet = book.active
    assert sheet is not None
    sheet.delete_rows(2)  # the example
    sheet.append(["DEMO-A-T1-V3", "", "来信来访", "三资管理", "鱼塘承包费未入账", "8000"])
    sheet.append(["DEMO-A-T1-V4", "", "道听途说", "作风问题", "工作日饮酒"])
    sheet.append(["NO-SUCH-UNIT", "", "举报电话", "工程项目", "村部维修虚报工程量"])
    path = tmp_path / "线索登记表.xlsx"
    book.save(path)

    web.sign_in("demo-county")
    page = web.page
    page.get_by_role("link", name="线索登记").click()
    form = page.get_by_role("form", name="批量登记")
    form.get_by_label("线索登记表（.xlsx）").set_input_files(path)
    form.get_by_role("button", name="批量提交").click()
    rows = page.get_by_role("row")
    expect(rows).to_have_count(4)
    expect(rows.nth(1)).to_contain_text("已登记")
    expect(rows.nth(2)).to_contain_text("未登记")
    expect(rows.nth(2)).to_contain_text("unknown source 道听途说")
    expect(rows.nth(3)).to_contain_text("未找到")
    web.shot("bulk")

    form.get_by_role("button", name="批量提交").click()  # the same file again
    expect(page.get_by_role("row").nth(1)).to_contain_text("已登记")
    page.get_by_role("link", name="线索台账").click()
    page.get_by_label("问题类别").fill("三资管理")
    page.get_by_label("巡察机构").select_option(label="东湖区")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="鱼塘承包费未入账")).to_have_count(1)
