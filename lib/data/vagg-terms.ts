/* The dictionary is data (one list, used by the generator of government reports and by EQ's text index), kept apart from the reusable text-index routine (lib/measures/text-index.ts). */
/**
 * Dictionary of virtual-agglomeration terms for the text-based index `vagg_txt` (EQ §4.3,
 * Table 4 col. 3, Zhao et al. 2022): the paper counts, in 5,776 government work reports,
 * the frequency of words from a "virtual agglomeration" dictionary built following 何帆 & 刘红霞
 * (2019) and 倪克金 & 刘修岩 (2021), segmented with jieba, sums them and takes logs. The paper
 * does not print its dictionary (footnote: "限于篇幅,相关词典与词频数据未列示,备案"), so this list
 * is a reconstruction from that description: digital infrastructure and technologies, platforms
 * and e-commerce (the "virtual space" where firms agglomerate), and the digital economy.
 * Terms are matched as whole jieba tokens; nested terms (工业互联网 ⊃ 互联网) count once, as the
 * longer token.
 */
export const VAGG_TERMS: readonly string[] = Object.freeze([
  // virtual agglomeration and platforms
  "虚拟集聚",
  "虚拟产业集群",
  "网络平台",
  "平台经济",
  "数字平台",
  "互联网平台",
  "云平台",
  "共享经济",
  // e-commerce
  "电子商务",
  "电商",
  "网络零售",
  "跨境电商",
  "网购",
  "互联网+",
  // digital infrastructure and technologies
  "互联网",
  "移动互联网",
  "工业互联网",
  "物联网",
  "大数据",
  "云计算",
  "人工智能",
  "区块链",
  "5G",
  "宽带",
  "数据中心",
  // digital economy
  "数字经济",
  "数字化",
  "信息化",
  "数字产业化",
  "产业数字化",
  "智慧城市",
  "信息技术",
  "数字技术",
]);
