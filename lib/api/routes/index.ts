import type { ApiRoute } from "../router";
import { catalogueRoutes } from "./catalogue";

/** Every endpoint of /api/v1: the router and the OpenAPI document are both made from this list. */
export const API_ROUTES: readonly ApiRoute[] = [...catalogueRoutes];
