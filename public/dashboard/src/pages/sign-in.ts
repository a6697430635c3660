import { errorBox, type App } from "../app";
import { field, h, replace } from "../dom";

export function signInPage(app: App, signedIn: () => Promise<void>): Node {
	const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
	const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
	const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
	const errors = h("div", { "aria-live": "polite" });
	const form = h("form", { class: "card narrow", "aria-labelledby": "sign-in-title" }, h("h1", { id: "sign-in-title" }, "Sign in to CognitionOS"), field("Email", email), field("Password", password), errors, submit, h("p", { class: "muted" }, "New here? ", h("a", { href: "#/sign-up" }, "Create an account")));
	form.addEventListener("submit", async event => {
		event.preventDefault();
		submit.disabled = true;
		submit.textContent = "Signing in…";
		replace(errors);
		try {
			await app.api.signIn(email.value.trim(), password.value);
			await signedIn();
		} catch (err) {
			replace(errors, errorBox(err, "Could not sign in"));
			password.focus();
		} finally {
			submit.disabled = false;
			submit.textContent = "Sign in";
		}
	});
	queueMicrotask(() => email.focus());
	return form;
}
