import { createLoader, createSerializer, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";

/** The jobs list: newest first, paged by the last id shown. */
export const jobListParams = { after: parseAsString };
export const loadJobListParams = createLoader(jobListParams);
export const jobListUrl = createSerializer(jobListParams);

/** A job's rows: filtered by result, paged. */
export const RESULT_FILTERS = ["all", "done", "skipped", "failed", "pending"] as const;
export type ResultFilter = (typeof RESULT_FILTERS)[number];
export const jobResultsParams = { result: parseAsStringLiteral(RESULT_FILTERS).withDefault("all"), page: parseAsInteger.withDefault(1) };
export const loadJobResultsParams = createLoader(jobResultsParams);
export const jobResultsUrl = createSerializer(jobResultsParams);

export const RESULTS_PER_PAGE = 50;
