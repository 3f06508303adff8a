#include "node/home.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "node/node.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::TempDir;

int ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(Home, InitMakesSecretFilesReadableOnlyByTheOwner) {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(1);
  auto node = Node::Init(dir.File("home"), "Net", "pi", clock, random);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  EXPECT_EQ(ModeOf((*node)->home().KeyPath()), 0600);
  EXPECT_EQ(ModeOf((*node)->home().NetworkPath()), 0600);
  EXPECT_EQ(ModeOf(dir.File("home")), 0700);
}

TEST(Home, InitRefusesToOverwriteAnExistingHome) {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(1);
  auto first = Node::Init(dir.File("home"), "Net", "pi", clock, random);
  ASSERT_TRUE(first.ok());
  auto key_before = ReadWholeFile((*first)->home().KeyPath(), 4096);
  auto second = Node::Init(dir.File("home"), "Other", "pi", clock, random);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(*ReadWholeFile((*first)->home().KeyPath(), 4096), *key_before);
}

TEST(Home, ReopeningGivesTheSameIdentityAndNetwork) {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(1);
  PublicKey id;
  NetworkInfo network;
  {
    auto node = Node::Init(dir.File("home"), "Réseau québécois", "pi", clock, random);
    ASSERT_TRUE(node.ok());
    id = (*node)->id();
    network = (*node)->network();
  }
  auto node = Node::Open(dir.File("home"), clock, random);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  EXPECT_EQ((*node)->id(), id);
  EXPECT_EQ((*node)->network().id, network.id);
  EXPECT_EQ((*node)->network().name, "Réseau québécois");
  EXPECT_EQ((*node)->network().key, network.key);
}

TEST(Home, OpeningAMissingHomeSaysHowToMakeOne) {
  TempDir dir;
  ManualClock clock;
  SeededRandom random(1);
  auto node = Node::Open(dir.File("nothing"), clock, random);
  ASSERT_FALSE(node.ok());
  EXPECT_NE(node.status().ToString().find("nanse init"), std::string::npos);
}

TEST(Home, ADamagedKeyFileIsReportedByName) {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(1);
  ASSERT_TRUE(Node::Init(dir.File("home"), "Net", "pi", clock, random).ok());
  HomeDir home(dir.File("home"));
  ASSERT_TRUE(WriteFileAtomically(home.KeyPath(), AsBytes(std::string("garbage")), 0600).ok());
  auto node = Node::Open(dir.File("home"), clock, random);
  ASSERT_FALSE(node.ok());
  EXPECT_NE(node.status().field().find("node.key"), std::string::npos);
}

TEST(Home, JoinEntersTheInvitingNetwork) {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(1);
  auto a = Node::Init(dir.File("a"), "Net", "a", clock, random);
  ASSERT_TRUE(a.ok());
  auto code = DecodeInviteCode((*a)->Invite("admin", std::nullopt, {"127.0.0.1:7410"})->code);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->peers, std::vector<std::string>{"127.0.0.1:7410"});
  auto b = Node::Join(dir.File("b"), *code, "b", clock, random);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ((*b)->network().id, (*a)->network().id);
  EXPECT_EQ((*b)->network().key, (*a)->network().key);
  EXPECT_NE((*b)->id(), (*a)->id());
  EXPECT_EQ((*b)->store().Stats()->ops, 2u);  // its claim and its node op
}

}  // namespace
}  // namespace nanse
