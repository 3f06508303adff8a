#include "node/csv.h"

#include <gtest/gtest.h>

namespace nanse {
namespace {

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  auto rows =
      ParseCsv("id,name\r\n1,\"Coop \"\"La Ruche\"\", Montréal\"\r\n2,\"two\r\nlines\"\r\n");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].cells[1], "Coop \"La Ruche\", Montréal");
  EXPECT_EQ((*rows)[2].cells[1], "two\r\nlines");
  EXPECT_EQ((*rows)[2].line, 3u);
}

TEST(Csv, AcceptsBareLineFeedsAByteOrderMarkAndNoFinalNewline) {
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\n1,2");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].cells[0], "a");
  EXPECT_EQ((*rows)[1].cells[1], "2");
}

TEST(Csv, ReportsTheLineOfAMalformedRecord) {
  auto unclosed = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().field(), "line 2");
  auto stray = ParseCsv("a,b\n1,x\"y\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.status().field(), "line 2");
  auto after_quote = ParseCsv("a\n\"x\"y\n");
  ASSERT_FALSE(after_quote.ok());
}

TEST(Csv, WritesWhatItReads) {
  const std::vector<std::string> cells = {"plain", "with, comma", "with \"quote\"", "two\nlines",
                                          ""};
  auto rows = ParseCsv(CsvLine(cells));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].cells, cells);
  EXPECT_EQ(CsvLine({"a", "b"}), "a,b\r\n");
}

TEST(Csv, EmptyCellsAreKeptAndBlankLinesSkipped) {
  auto rows = ParseCsv("a,b,c\r\n,,\r\n\r\n1,,3\r\n");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].cells, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ((*rows)[2].cells[1], "");
}

}  // namespace
}  // namespace nanse
