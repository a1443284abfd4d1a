import enCommon from "./en/common.json";
import enConsole from "./en/console.json";
import enErrors from "./en/errors.json";
import enSignIn from "./en/signIn.json";
import enSubscriptions from "./en/subscriptions.json";
import jaCommon from "./ja/common.json";
import jaConsole from "./ja/console.json";
import jaErrors from "./ja/errors.json";
import jaSignIn from "./ja/signIn.json";
import jaSubscriptions from "./ja/subscriptions.json";

/**
 * Every user-facing text, one JSON file per namespace (a page or a shared part) and language, so that pages built
 * side by side do not edit one file. Japanese is the reference: English must have the same keys (messages.test.ts).
 */
export const MESSAGES = {
  ja: { common: jaCommon, console: jaConsole, errors: jaErrors, signIn: jaSignIn, subscriptions: jaSubscriptions },
  en: { common: enCommon, console: enConsole, errors: enErrors, signIn: enSignIn, subscriptions: enSubscriptions },
};

export type Messages = (typeof MESSAGES)["ja"];
