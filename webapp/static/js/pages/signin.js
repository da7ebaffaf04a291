import { session } from "../api.js";
import { t } from "../i18n.js";
import { clearRefusals, field, h, showRefusal } from "../ui.js";

export function render(signedIn) {
  const username = h("input", { autocomplete: "username", required: true });
  const password = h("input", { type: "password", autocomplete: "current-password", required: true });
  const fresh = h("input", { type: "password", autocomplete: "new-password" });
  const freshField = field(t("newPassword"), fresh, { name: "newPassword" });
  freshField.hidden = true;
  const button = h("button", { class: "primary", type: "submit" }, t("signIn"));
  const form = h("form", { class: "form", "aria-label": t("signIn") },
    field(t("username"), username, { name: "username" }),
    field(t("password"), password, { name: "password" }),
    freshField, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    try {
      if (!freshField.hidden) {
        await session.changePassword(username.value, password.value, fresh.value);
        password.value = fresh.value;
        fresh.value = "";
        freshField.hidden = true;
        button.textContent = t("signIn");
        form.prepend(h("p", { class: "notice form-refusal", role: "status" }, t("passwordChanged")));
      }
      signedIn(await session.signIn(username.value, password.value));
    } catch (error) {
      if (error.rule === "PASSWORD_CHANGE_REQUIRED") {
        freshField.hidden = false;
        button.textContent = t("changePassword");
        fresh.focus();
      }
      showRefusal(form, error);
    }
  });
  const provider = h("p", {});
  session.options().then((o) => {
    if (o.oidc) provider.replaceChildren(h("a", { class: "button", href: "/session/oidc" }, t("signInProvider")));
  }).catch(() => {});
  return h("section", { class: "signin" }, h("h1", {}, `巡察 XunCha · ${t("signIn")}`), form, provider);
}
