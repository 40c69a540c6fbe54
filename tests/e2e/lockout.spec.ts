import type { Page } from "@playwright/test";
import {
  expect,
  formAlert,
  LOCKED_FRAGMENT,
  LOGIN_FAILED,
  newUscc,
  type OrgAccount,
  open,
  registerOrgViaForm,
  submitLogin,
  test,
} from "./fixtures";

interface Answer {
  status: number;
  message: string;
}

/** Six wrong passwords in a row on the 法人登录 page; returns what each answer said. */
async function sixWrongPasswords(page: Page, uscc: string): Promise<Answer[]> {
  await open(page, "/login/org");
  const answers: Answer[] = [];
  for (let i = 1; i <= 6; i++) {
    const status = await submitLogin(page, "org", uscc, `Wrong-Pass-${i}!`);
    // Attempts 1–4: the plain failure; from the 5th on: the lock.
    if (i < 5) await expect(formAlert(page)).toHaveText(LOGIN_FAILED);
    else await expect(formAlert(page)).toContainText(LOCKED_FRAGMENT);
    await expect(page).toHaveURL(/\/login\/org$/);
    answers.push({ status, message: (await formAlert(page).innerText()).trim() });
  }
  return answers;
}

test("six wrong passwords lock a fresh account; an unregistered USCC gets exactly the same answers", async ({
  page,
  otherPage,
  request,
  baseURL,
}) => {
  const org: OrgAccount = await registerOrgViaForm(request, baseURL!);
  const unregistered = newUscc(); // valid check character, never registered

  const existing = await sixWrongPasswords(page, org.uscc);
  expect(existing.map((a) => a.message.includes(LOCKED_FRAGMENT))).toEqual([
    false,
    false,
    false,
    false,
    true,
    true,
  ]);

  const missing = await sixWrongPasswords(otherPage, unregistered);
  // Same messages and same statuses: nobody can tell whether an account exists.
  expect(missing).toEqual(existing);

  // While locked, even the right password is refused with the lock message.
  await submitLogin(page, "org", org.uscc, org.password);
  await expect(formAlert(page)).toContainText(LOCKED_FRAGMENT);
  await expect(page).toHaveURL(/\/login\/org$/);
});
