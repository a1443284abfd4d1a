import enCommon from "./en/common.json";
import enConsole from "./en/console.json";
import enCustomers from "./en/customers.json";
import enErrors from "./en/errors.json";
import enSignIn from "./en/signIn.json";
import jaCommon from "./ja/common.json";
import jaConsole from "./ja/console.json";
import jaCustomers from "./ja/customers.json";
import jaErrors from "./ja/errors.json";
import jaSignIn from "./ja/signIn.json";

/**
 * Every user-facing text, one JSON file per namespace (a page or a shared part) and language, so that pages built
 * side by side do not edit one file. Japanese is the reference: English must have the same keys (messages.test.ts).
 */
export const MESSAGES = {
  ja: { common: jaCommon, console: jaConsole, customers: jaCustomers, errors: jaErrors, signIn: jaSignIn },
  en: { common: enCommon, console: enConsole, customers: enCustomers, errors: enErrors, signIn: enSignIn },
};

export type Messages = (typeof MESSAGES)["ja"];
