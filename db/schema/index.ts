export * from "./merchants";
export * from "./catalogue";
export * from "./customers";
export * from "./subscriptions";
export * from "./invoices";
export * from "./scheduled-actions";
export * from "./mails";
export * from "./sandbox";
