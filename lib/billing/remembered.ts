/**
 * A pure function's last answers. Date arithmetic is the costly part of the polyfilled Temporal, and a bill run asks
 * the same few questions for every contract due that day (its local date, the next period's midnight, the period
 * after a billing date). Bounded: the answers are forgotten every thousand keys.
 */
export function remembered<A extends unknown[], R>(keyOf: (...args: A) => string, compute: (...args: A) => R): (...args: A) => R {
  const answers = new Map<string, R>();
  return (...args) => {
    const key = keyOf(...args);
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = compute(...args);
      if (answers.size >= 1000) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}
