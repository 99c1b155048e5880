import type { Classification, UpstreamFailure } from "../../../src/classify/classify-failure.js";

/**
 * A classifier with a fixed answer that remembers what it was asked, for tests of what the
 * code around the classifier hands it and does with its answer, whatever the real classifier's
 * rules are (test/classify has those).
 */
export function scriptedClassifier(answer: Partial<Classification> = {}) {
  const asked: UpstreamFailure[] = [];
  const classify = (facts: UpstreamFailure): Classification => {
    asked.push(facts);
    return { errorType: "server_error", providerCode: undefined, retryable: true, ...answer };
  };
  return { classify, asked };
}
