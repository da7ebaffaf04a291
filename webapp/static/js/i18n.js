// The app's words in Chinese (default) and English; values of the API's enums come from its
// `enumLabels` query, so they read as the API labels them.
const WORDS = {
  overview: ["总览", "Overview"], rounds: ["巡察轮次", "Rounds"], ledger: ["线索台账", "Clue ledger"],
  register: ["线索登记", "Register a clue"], clue: ["线索详情", "Clue"],
  rectification: ["整改与统计", "Rectification & figures"], audit: ["审计", "Audit"], admin: ["管理", "Administration"],
  signIn: ["登录", "Sign in"], signInProvider: ["统一身份认证登录", "Sign in with the identity provider"], signOut: ["退出登录", "Sign out"], username: ["用户名", "User name"],
  password: ["密码", "Password"], newPassword: ["新密码", "New password"], changePassword: ["修改密码", "Change password"],
  mustChange: ["首次登录前须修改初始密码", "Change the initial password before the first sign-in"],
  passwordChanged: ["密码已修改，请用新密码登录", "Password changed: sign in with the new one"],
  office: ["巡察机构", "Office"], unit: ["被巡察单位", "Unit"], round: ["巡察轮次", "Round"], source: ["线索来源", "Source"],
  category: ["问题类别", "Category"], summary: ["问题摘要", "Summary"], amount: ["涉及金额（元）", "Amount (yuan)"],
  status: ["办理状态", "Status"], priority: ["优先级", "Priority"], overdue: ["是否超期", "Overdue"],
  supervisionStep: ["督办环节", "Supervision step"], dueDate: ["办结期限", "Due date"], registeredAt: ["登记时间", "Registered"],
  handlingBody: ["承办机关", "Handling body"], receivingTenant: ["接收机构", "Receiving office"], sort: ["排序", "Sort by"],
  descending: ["倒序", "Descending"], any: ["全部", "Any"], yes: ["是", "Yes"], no: ["否", "No"], apply: ["查询", "Apply"],
  next: ["下一页", "Next page"], previous: ["上一页", "Previous page"], total: ["共", "Total"],
  exportXlsx: ["导出Excel", "Export .xlsx"], exportCsv: ["导出CSV", "Export CSV"], submit: ["提交", "Submit"],
  registered: ["已登记", "Registered"], informantName: ["举报人姓名", "Informant's name"], informantContact: ["举报人联系方式", "Informant's contact"],
  personRole: ["被反映人职务", "Person's post"], personName: ["被反映人姓名", "Person's name"],
  asOf: ["历史时点", "As of"], showAsOf: ["查看该时点", "Show as of"], now: ["当前", "Now"],
  timeline: ["审计时间线", "Audit timeline"], actor: ["操作人", "By"], recordedAt: ["记录时间", "Recorded"],
  reason: ["事由", "Reason"], hashOk: ["哈希链完整", "Hash chain intact"], hashBroken: ["哈希链断裂", "Hash chain broken"],
  triage: ["研判", "Triage"], transfer: ["移交", "Transfer"], accept: ["受理", "Accept"], progress: ["报告进展", "Report progress"],
  conclude: ["办结", "Conclude"], supervise: ["督办", "Supervise"], proposedRoute: ["拟处置方式", "Proposed route"],
  disposition: ["处置方式", "Disposition"], personsDisciplined: ["处理人数", "Persons disciplined"], note: ["督办意见", "Note"],
  progressText: ["进展情况", "Progress"], saved: ["已保存", "Saved"], open: ["在办", "Open"], linkage: ["联动方式", "Linkage"],
  kind: ["轮次类型", "Kind"], phase: ["阶段", "Phase"], year: ["年度", "Year"], title: ["名称", "Title"], period: ["期间", "Period"],
  team: ["巡察组", "Team"], recusals: ["回避", "Recusals"], parentRound: ["上级轮次", "City round"], childRounds: ["县区轮次", "County rounds"],
  cluesOpen: ["在办线索", "Open clues"], cluesOverdue: ["超期线索", "Overdue clues"], roundsUnderway: ["进行中轮次", "Rounds under way"],
  rectificationRate: ["整改完成率", "Rectification rate"], transferRate: ["移交办结率", "Transfer completion rate"],
  satisfactionRate: ["群众满意率", "Satisfaction rate"], problemsFound: ["发现问题", "Problems found"],
  tasksDue: ["整改任务", "Tasks due"], tasksVerified: ["已销号", "Verified"], fundsRecovered: ["挽回经济损失（元）", "Funds recovered"],
  byCategory: ["按问题类别", "By category"], backdated: ["补录事件", "Backdated events"], event: ["事件", "Event"],
  occurredOn: ["文书日期", "Document date"], openAccount: ["新建用户", "Open an account"], displayName: ["姓名", "Name"],
  role: ["角色", "Role"], initialPassword: ["初始密码", "Initial password"], clearance: ["可查看举报人信息", "Informant clearance"],
  units: ["被巡察单位", "Units"], inspectors: ["巡察干部", "Inspectors"], name: ["名称", "Name"], code: ["代码", "Code"],
  details: ["详情", "Details"], none: ["无", "None"], version: ["版本", "Version"], notAllowed: ["无权访问该页面", "Not allowed here"],
  coverage: ["届内覆盖率", "Term coverage"], crossing: ["交叉巡察（巡察方 → 被巡察方）", "Cross (inspects → inspected)"], registeredByMonth: ["各月登记线索", "Clues registered by month"], bulk: ["批量登记", "Bulk registration"],
  bulkFile: ["线索登记表（.xlsx）", "Filled-in template (.xlsx)"], bulkSubmit: ["批量提交", "Submit the file"],
  template: ["下载模板", "Download the template"], imports: ["单位与干部导入", "Import units and inspectors"],
  importKind: ["导入内容", "What to import"], importFile: ["导入文件（.xlsx/.csv）", "File (.xlsx/.csv)"],
  importSubmit: ["导入", "Import"], column: ["列", "Column"], auditCheck: ["核验机构历史记录", "Check an office's history"],
  auditExport: ["导出审计记录", "Export the history"], chainIntact: ["哈希链完整", "Intact"], chainBroken: ["哈希链断裂", "Broken"],
  eventsIn: ["个事件，", "events in"], streams: ["条记录链", "streams"], stream: ["记录链", "Stream"], row: ["行号", "Row"], outcome: ["结果", "Outcome"], refused: ["未登记", "Refused"], countyCards: ["各县区概况", "Counties"],
};
const ROLE_WORDS = {
  CITY_OFFICE: ["市级巡察机构", "City office"], COUNTY_TEAM: ["县级巡察组", "County team"],
  AUDITOR: ["审计", "Auditor"], ADMIN: ["管理员", "Administrator"],
};
let language = localStorage.getItem("xuncha:lang") === "en" ? "en" : "zh";
let enumLabels = {};

export const lang = () => language;
export function setLanguage(next) {
  language = next;
  localStorage.setItem("xuncha:lang", next);
  document.documentElement.lang = next === "en" ? "en" : "zh-CN";
}
export function t(key) {
  const pair = WORDS[key];
  return pair ? pair[language === "en" ? 1 : 0] : key;
}
export function roleName(role) {
  const pair = ROLE_WORDS[role];
  return pair ? pair[language === "en" ? 1 : 0] : role;
}
export const roles = () => Object.keys(ROLE_WORDS);
export function useLabels(all) {
  enumLabels = {};
  for (const e of all) enumLabels[e.enum] = Object.fromEntries(e.values.map((v) => [v.value, v]));
}
export function label(enumName, value) {
  const found = enumLabels[enumName]?.[value];
  if (!found) return value ?? "";
  return language === "en" ? found.labelEn : found.label;
}
export function values(enumName) {
  return Object.keys(enumLabels[enumName] ?? {});
}
