/**
 * A merchant's rules for what end users do themselves on the mypage: cancel at the paid-through date only, or also
 * at once; pause or not. Staff and the API are not bound by it.
 */
export type MypagePolicy = { cancel: "period_end" | "immediate_allowed"; pause: boolean };

export const DEFAULT_MYPAGE_POLICY: MypagePolicy = { cancel: "period_end", pause: false };
