import { createLoader, parseAsBoolean } from "nuqs/server";

/** The contract page's URL state: whether "この先12か月" shows the course of a card that keeps failing. */
export const contractFutureParams = {
  cardFails: parseAsBoolean.withDefault(false),
};

export const loadContractFutureParams = createLoader(contractFutureParams);
