"""What the auditor and the ADMIN see and do, the English switch, and the tablet width."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import ViewportSize, expect

from tests.e2e.web.conftest import WebPage

TABLET: ViewportSize = {"width": 820, "height": 1180}


def test_the_auditor_reads_a_clues_intact_chain_and_may_write_nothing(web: WebPage) -> None:
    web.sign_in("demo-auditor")
    page = web.page
    expect(page.get_by_role("link", name="审计")).to_be_visible()
    expect(page.get_by_role("link", name="线索登记")).to_have_count(0)
    page.get_by_role("link", name="线索台账").click()
    page.get_by_role("link", name="村道硬化工程未经招标直接发包").click()
    expect(page.get_by_role("listitem").first).to_contain_text("哈希链完整")
    expect(page.get_by_role("button", name="研判")).to_have_count(0)
    web.shot("clue")

    page.get_by_role("link", name="审计").click()
    check = page.get_by_role("form", name="核验机构历史记录")
    check.get_by_label("巡察机构").select_option(label="东湖区")
    check.get_by_role("button", name="核验机构历史记录").click()
    expect(check.get_by_role("status")).to_contain_text("哈希链完整")
    with page.expect_download() as download:
        check.get_by_role("link", name="导出审计记录").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines
    assert all(len(json.loads(line)["hash"]) == 64 for line in lines)
    web.shot("audit")

    web.open("register")
    expect(page.get_by_role("alert")).to_have_text("无权访问该页面")


def test_an_admin_opens_an_account_whose_first_sign_in_changes_its_password(
    web: WebPage,
) -> None:
    web.sign_in("demo-admin")
    page = web.page
    page.get_by_role("link", name="管理").click()
    form = page.get_by_role("form", name="新建用户")
    form.get_by_label("巡察机构").select_option(label="西山县")
    form.get_by_label("用户名").fill("xishan.li")
    form.get_by_label("姓名").fill("李明")
    form.get_by_label("角色").select_option(label="县级巡察组")
    form.get_by_label("初始密码").fill("short")
    form.get_by_role("button", name="新建用户").click()
    password_field = form.locator('.field[data-field="initialPassword"]')
    expect(password_field.get_by_role("alert")).to_contain_text("at least 10 characters")
    web.shot("admin-refused")
    form.get_by_label("初始密码").fill("initial-password-1")
    form.get_by_role("button", name="新建用户").click()
    expect(page.get_by_role("status")).to_have_text("已保存: xishan.li")
    web.shot("admin")

    page.get_by_role("button", name="退出登录").click()
    web.sign_in("xishan.li", "initial-password-1")
    expect(page.get_by_role("alert")).to_have_text("首次登录前须修改初始密码")
    page.get_by_label("新密码").fill("chosen-password-2")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("李明 · 县级巡察组")).to_be_visible()
    expect(page.get_by_role("article", name="西山县")).to_be_visible()


def test_the_app_switches_to_english_and_back(web: WebPage) -> None:
    web.sign_in("demo-city")
    page = web.page
    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("link", name="Clue ledger").click()
    expect(page.get_by_role("heading", name="Clue ledger")).to_be_visible()
    expect(page.get_by_role("cell", name="Registered", exact=True).first).to_be_visible()
    web.shot("ledger-english")
    page.get_by_role("button", name="切换到中文").click()
    expect(page.get_by_role("heading", name="线索台账")).to_be_visible()


def test_the_ledger_and_a_clue_fit_a_tablet(web: WebPage) -> None:
    web.page.set_viewport_size(TABLET)
    web.sign_in("demo-city")
    page = web.page
    page.get_by_role("link", name="线索台账").click()
    expect(page.get_by_role("row")).to_have_count(6)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the tablet"
    web.shot("ledger-tablet")
    page.get_by_role("link", name="村道硬化工程未经招标直接发包").click()
    expect(page.get_by_role("form", name="研判", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    web.shot("clue-tablet")


def test_an_admin_imports_units_and_sees_each_bad_row(web: WebPage, tmp_path: Path) -> None:
    path = tmp_path / "单位.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["代码", "名称", "类型", "所属乡镇"])
    sheet.append(["DEMO-B-T9", "西山县第9镇", "乡镇", ""])
    sheet.append(["DEMO-B-T9-V1", "", "村", "DEMO-B-T9"])  # no name
    book.save(path)

    web.sign_in("demo-admin")
    page = web.page
    page.get_by_role("link", name="管理").click()
    form = page.get_by_role("form", name="单位与干部导入")
    form.get_by_label("巡察机构").select_option(label="西山县")
    form.get_by_label("导入文件（.xlsx/.csv）").set_input_files(path)
    form.get_by_role("button", name="导入", exact=True).click()
    expect(form.get_by_role("row").nth(1)).to_contain_text("3")
    expect(form.get_by_role("row")).to_have_count(2)
    web.shot("import-refused")

    sheet.delete_rows(3)
    book.save(path)
    form.get_by_label("导入文件（.xlsx/.csv）").set_input_files(path)
    form.get_by_role("button", name="导入", exact=True).click()
    expect(form.get_by_role("status")).to_contain_text("created 1")
