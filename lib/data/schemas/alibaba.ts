import type { Schema } from "../schema";

/** Alibaba 1688 paid (诚信通) members, city × industry × year (2002–2019, incl. 2005). File: `alibaba_members.csv`. Codebook: data/codebook/alibaba.md. */
export const ALIBABA_MEMBERS: Schema = {
  name: "alibaba",
  description: "Alibaba 1688 paid (诚信通) members, city × industry × year (2002–2019, incl. 2005)",
  key: ["city_code", "industry", "year"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "industry", type: "string", description: "ISIC Rev.4 aggregate code" },
    { name: "year", type: "integer" },
    { name: "members", type: "integer", unit: "count", description: "paid members active in the year" },
  ],
};
