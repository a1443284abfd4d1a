import { serverApiHandler } from "@/lib/api/server-handler";

export const dynamic = "force-dynamic";

/** Every /api/v1 endpoint goes through one handler; the routes are listed in lib/api/routes. */
export const GET = serverApiHandler;
export const POST = serverApiHandler;
export const PUT = serverApiHandler;
export const DELETE = serverApiHandler;
