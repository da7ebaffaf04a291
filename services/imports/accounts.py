"""Opening web app accounts from a spreadsheet (`xuncha users import`): one account a row,
each opened on its own, so a refused row (a taken name, an unknown office, a short password)
is reported with its reason and the others are opened."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import XunChaError
from domain.tenants.tenant import office_id_of
from services.accounts import AccountService
from services.authorization import Acting
from services.imports.sheet import RowProblem, read_sheet

HEADERS: dict[str, tuple[str, ...]] = {
    "username": ("用户名", "账号", "username"),
    "display_name": ("姓名", "name", "display_name"),
    "office": ("机构", "机构代码", "office", "tenant"),
    "role": ("角色", "role"),
    "initial_password": ("初始密码", "initial_password", "password"),
    "clearance": ("举报人信息权限", "informant_clearance"),
}
REQUIRED = ("username", "display_name", "office", "role", "initial_password")
YES = frozenset({"是", "yes", "true", "1", "y"})


@dataclass(frozen=True)
class AccountRows:
    opened: list[str]  # the user names opened
    problems: list[RowProblem]


def import_accounts(
    accounts: AccountService, filename: str, data: bytes, acting: Acting
) -> AccountRows:
    sheet, problems = read_sheet(filename, data, HEADERS, REQUIRED)
    if problems:
        return AccountRows([], problems)
    opened: list[str] = []
    for row in sheet.rows:
        given = row.values
        try:
            accounts.open_account(
                tenant_id=office_id_of(given["office"]),
                username=given["username"],
                display_name=given["display_name"],
                role=given["role"].upper(),
                initial_password=given["initial_password"],
                informant_clearance=given.get("clearance", "").lower() in YES,
                acting=acting,
            )
        except XunChaError as refused:
            column = str(refused.details.get("field") or "")
            problems.append(RowProblem(row.number, column, refused.message))
            continue
        opened.append(given["username"])
    return AccountRows(opened, problems)
