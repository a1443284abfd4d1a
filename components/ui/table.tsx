import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="w-full overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className={cn("w-full border-collapse text-sm", className)} {...props} />
    </div>
  );
}
export const THead = ({ className, ...props }: ComponentProps<"thead">) => <thead className={cn("bg-slate-50 text-left text-xs text-slate-700", className)} {...props} />;
export const TBody = ({ className, ...props }: ComponentProps<"tbody">) => <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
export const TR = ({ className, ...props }: ComponentProps<"tr">) => <tr className={cn("hover:bg-slate-50 data-[selected=true]:bg-sky-50", className)} {...props} />;
export const TH = ({ className, ...props }: ComponentProps<"th">) => <th className={cn("px-3 py-2 font-semibold whitespace-nowrap", className)} {...props} />;
export const TD = ({ className, ...props }: ComponentProps<"td">) => <td className={cn("px-3 py-2 align-top", className)} {...props} />;
