import { errorBox, type App } from "../app";
import { field, h, replace } from "../dom";

// The API's rule for passwords (POST /auth/register): at least this many characters.
const MIN_PASSWORD = 8;

/** Registration (open to anyone, as POST /auth/register is), then signed in at once. */
export function signUpPage(app: App, signedIn: () => Promise<void>): Node {
	const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
	const name = h("input", { type: "text", name: "full_name", autocomplete: "name" });
	const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: MIN_PASSWORD });
	const submit = h("button", { type: "submit", class: "primary" }, "Create the account");
	const errors = h("div", { "aria-live": "polite" });
	const form = h(
		"form",
		{ class: "card narrow", "aria-labelledby": "sign-up-title" },
		h("h1", { id: "sign-up-title" }, "Create an account"),
		field("Email", email),
		field("Name (optional)", name),
		field("Password", password, `At least ${MIN_PASSWORD} characters`),
		errors,
		submit,
		h("p", { class: "muted" }, "Have an account? ", h("a", { href: "#/sign-in" }, "Sign in"))
	);
	form.addEventListener("submit", async event => {
		event.preventDefault();
		submit.disabled = true;
		replace(errors);
		try {
			await app.api.post("/auth/register", { email: email.value.trim(), password: password.value, ...(name.value.trim() ? { full_name: name.value.trim() } : {}) });
			await app.api.signIn(email.value.trim(), password.value);
			await signedIn();
		} catch (err) {
			replace(errors, errorBox(err, "Could not create the account"));
		} finally {
			submit.disabled = false;
		}
	});
	queueMicrotask(() => email.focus());
	return form;
}
