import type { ComponentProps } from "react";
import { NativeSelect } from "@/components/ui/input";
import { PREFECTURES } from "@/lib/address/prefectures";

/** The 47 prefectures in Japan Post's order, after an empty choice that says to pick one. */
export function PrefectureSelect({ placeholder, ...props }: ComponentProps<"select"> & { placeholder: string }) {
  return (
    <NativeSelect autoComplete="address-level1" {...props}>
      <option value="">{placeholder}</option>
      {PREFECTURES.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
    </NativeSelect>
  );
}
