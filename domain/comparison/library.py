"""The library of comparison models from practice (Jinan, Lanxi), shipped with XunCha. Each
query is written once, in DuckDB's dialect; the Spark engine translates it (sqlglot)."""

from __future__ import annotations

from domain.comparison.model import ModelDefinition
from domain.comparison.values import DatasetKind as K

LIBRARY_VERSION = 1

_PAYROLL_ALLOWANCE = """
SELECT a.unit_code, 'PA:' || a.id_number_key AS match_key, a.id_number_key,
       a.name_masked, a.id_number_masked, MIN(p.employer) AS employer,
       COUNT(*) AS payments, SUM(a.amount) AS amount
FROM subsistence_allowance a
JOIN (SELECT DISTINCT id_number_key, employer FROM public_payroll) p
  ON p.id_number_key = a.id_number_key
GROUP BY a.unit_code, a.id_number_key, a.name_masked, a.id_number_masked
"""

_CADRE_KIN_BENEFITS = """
WITH benefits AS (
  SELECT id_number_key, '低保' AS benefit, amount FROM subsistence_allowance
  UNION ALL
  SELECT id_number_key, subsidy_type AS benefit, amount FROM farm_subsidy
)
SELECT c.unit_code, 'CK:' || c.id_number_key || ':' || b.benefit AS match_key,
       c.id_number_key, c.name_masked, c.id_number_masked, c.role, b.benefit,
       COUNT(*) AS payments, SUM(b.amount) AS amount
FROM village_cadres c JOIN benefits b ON b.id_number_key = c.id_number_key
GROUP BY c.unit_code, c.id_number_key, c.name_masked, c.id_number_masked, c.role, b.benefit
"""

_DECEASED_STILL_PAID = """
SELECT s.unit_code, 'DS:' || s.id_number_key || ':' || s.subsidy_type AS match_key,
       s.id_number_key, s.name_masked, s.id_number_masked, s.subsidy_type, d.died_on,
       COUNT(*) AS payments, SUM(s.amount) AS amount, MAX(s.paid_on) AS last_paid_on
FROM farm_subsidy s JOIN death_records d
  ON d.id_number_key = s.id_number_key AND s.paid_on > d.died_on
GROUP BY s.unit_code, s.id_number_key, s.name_masked, s.id_number_masked, s.subsidy_type,
         d.died_on
"""

_DUPLICATE_SUBSIDY = """
SELECT MIN(unit_code) AS unit_code,
       'DU:' || id_number_key || ':' || subsidy_type || ':' || CAST(YEAR(paid_on) AS VARCHAR)
         AS match_key,
       id_number_key, MIN(name_masked) AS name_masked, MIN(id_number_masked) AS id_number_masked,
       subsidy_type, YEAR(paid_on) AS paid_in, COUNT(*) AS payments, SUM(amount) AS amount
FROM farm_subsidy
GROUP BY id_number_key, subsidy_type, YEAR(paid_on)
HAVING COUNT(*) > 1
"""

_OFFICIAL_IN_BUSINESS = """
SELECT CAST(NULL AS VARCHAR) AS unit_code,
       'OB:' || p.id_number_key || ':' || b.credit_code AS match_key,
       p.id_number_key, MIN(p.name_masked) AS name_masked,
       MIN(p.id_number_masked) AS id_number_masked, MIN(p.employer) AS employer,
       b.company, b.credit_code, MIN(b.role) AS role
FROM public_payroll p JOIN business_registry b ON b.id_number_key = p.id_number_key
GROUP BY p.id_number_key, b.company, b.credit_code
"""

_CADRE_KIN_CONTRACTS = """
SELECT k.unit_code, 'KC:' || k.id_number_key || ':' || c.contract_no AS match_key,
       k.id_number_key, k.name_masked, k.id_number_masked, k.relation,
       k.cadre_id_number_key, COALESCE(MIN(cadre.name_masked), '') AS cadre_name_masked,
       COALESCE(MIN(cadre.role), '村干部') AS cadre_role,
       c.contract_no, c.title, c.amount, c.signed_on
FROM village_cadres k
JOIN village_contracts c
  ON c.contractor_id_number_key = k.id_number_key AND c.unit_code = k.unit_code
LEFT JOIN village_cadres cadre
  ON cadre.id_number_key = k.cadre_id_number_key AND cadre.unit_code = k.unit_code
WHERE k.cadre_id_number_key IS NOT NULL
GROUP BY k.unit_code, k.id_number_key, k.name_masked, k.id_number_masked, k.relation,
         k.cadre_id_number_key, c.contract_no, c.title, c.amount, c.signed_on
"""

_SUBSIDY_OVER_STANDARD = """
SELECT unit_code,
       'OS:' || id_number_key || ':' || subsidy_type || ':' || CAST(paid_on AS VARCHAR)
         AS match_key,
       id_number_key, name_masked, id_number_masked, subsidy_type,
       SUM(amount) AS amount, MAX(standard_amount) AS standard_amount, paid_on
FROM farm_subsidy
WHERE standard_amount IS NOT NULL
GROUP BY unit_code, id_number_key, name_masked, id_number_masked, subsidy_type, paid_on
HAVING SUM(amount) > MAX(standard_amount)
"""


def _model(code: str, title: str, kinds: tuple[K, ...], sql: str, reason: str) -> ModelDefinition:
    return ModelDefinition(code, title, kinds, sql.strip(), reason, LIBRARY_VERSION, library=True)


LIBRARY: dict[str, ModelDefinition] = {
    m.code: m
    for m in (
        _model(
            "PAYROLL_ALLOWANCE",
            "财政供养人员领取低保",
            (K.PUBLIC_PAYROLL, K.SUBSISTENCE_ALLOWANCE),
            _PAYROLL_ALLOWANCE,
            "{name_masked}（{id_number_masked}）系财政供养人员（{employer}），"
            "同时领取低保/特困救助{payments}笔、共{amount}元",
        ),
        _model(
            "CADRE_KIN_BENEFITS",
            "村干部及近亲属享受低保或补贴",
            (K.VILLAGE_CADRES, K.SUBSISTENCE_ALLOWANCE, K.FARM_SUBSIDY),
            _CADRE_KIN_BENEFITS,
            "{name_masked}（{id_number_masked}，{role}）享受{benefit}{payments}笔、共{amount}元",
        ),
        _model(
            "DECEASED_STILL_PAID",
            "已死亡人员仍领取补贴",
            (K.DEATH_RECORDS, K.FARM_SUBSIDY),
            _DECEASED_STILL_PAID,
            "{name_masked}（{id_number_masked}）已于{died_on}死亡，此后仍领取{subsidy_type}"
            "{payments}笔、共{amount}元（最近一笔{last_paid_on}）",
        ),
        _model(
            "DUPLICATE_SUBSIDY",
            "同一人重复领取同类补贴",
            (K.FARM_SUBSIDY,),
            _DUPLICATE_SUBSIDY,
            "{name_masked}（{id_number_masked}）{paid_in}年重复领取{subsidy_type}"
            "{payments}笔、共{amount}元",
        ),
        _model(
            "OFFICIAL_IN_BUSINESS",
            "公职人员经商办企业",
            (K.PUBLIC_PAYROLL, K.BUSINESS_REGISTRY),
            _OFFICIAL_IN_BUSINESS,
            "{name_masked}（{id_number_masked}）系财政供养人员（{employer}），"
            "在{company}（{credit_code}）登记为{role}",
        ),
        _model(
            "CADRE_KIN_CONTRACTS",
            "村干部近亲属承揽本村工程或合同",
            (K.VILLAGE_CADRES, K.VILLAGE_CONTRACTS),
            _CADRE_KIN_CONTRACTS,
            "{name_masked}（{id_number_masked}）系本村{cadre_role}{cadre_name_masked}的"
            "{relation}，承揽本村“{title}”（合同{contract_no}，{amount}元，{signed_on}签订）",
        ),
        _model(
            "SUBSIDY_OVER_STANDARD",
            "补贴发放额超出标准",
            (K.FARM_SUBSIDY,),
            _SUBSIDY_OVER_STANDARD,
            "{name_masked}（{id_number_masked}）于{paid_on}领取{subsidy_type}{amount}元，"
            "超出标准{standard_amount}元",
        ),
    )
}
