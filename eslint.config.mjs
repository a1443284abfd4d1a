import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const forbiddenInDomain = ["next", "next/*", "drizzle-orm", "drizzle-orm/*", "inngest", "inngest/*", "stripe", "react", "react/*", "react-dom", "postgres", "@electric-sql/*", "@/db/*", "@/lib/services/*", "@/lib/gateways/*", "@/lib/mail/*", "node:*"];

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "next-env.d.ts", "db/migrations/**"] },
  {
    // The billing domain is pure: periods, amounts, schedules and transitions from plain data.
    files: ["lib/billing/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: forbiddenInDomain, message: "lib/billing is pure: no framework, database, gateway or I/O imports." }] }],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass a clock; never read the wall clock in the domain." }, { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pass a clock; never read the wall clock in the domain." }],
    },
  },
  {
    // Playwright's fixtures hand their value on through a function named `use`, which is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
