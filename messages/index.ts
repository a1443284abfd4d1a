import enBulkActions from "./en/bulkActions.json";
import enCommon from "./en/common.json";
import enConsole from "./en/console.json";
import enErrors from "./en/errors.json";
import enJobs from "./en/jobs.json";
import enSignIn from "./en/signIn.json";
import jaBulkActions from "./ja/bulkActions.json";
import jaCommon from "./ja/common.json";
import jaConsole from "./ja/console.json";
import jaErrors from "./ja/errors.json";
import jaJobs from "./ja/jobs.json";
import jaSignIn from "./ja/signIn.json";

/**
 * Every user-facing text, one JSON file per namespace (a page or a shared part) and language, so that pages built
 * side by side do not edit one file. Japanese is the reference: English must have the same keys (messages.test.ts).
 */
export const MESSAGES = {
  ja: { common: jaCommon, console: jaConsole, errors: jaErrors, signIn: jaSignIn, jobs: jaJobs, bulkActions: jaBulkActions },
  en: { common: enCommon, console: enConsole, errors: enErrors, signIn: enSignIn, jobs: enJobs, bulkActions: enBulkActions },
};

export type Messages = (typeof MESSAGES)["ja"];
