// Kills a writing process with SIGKILL at random moments and checks that the store survives:
// it opens, SQLite's integrity check passes, heads match the log, and every op the writer
// reported as committed is there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>

#include "crdt/text_codec.h"
#include "node/store.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child StartWriter(const std::string& db) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(NANSE_CRASH_WRITER, NANSE_CRASH_WRITER, db.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads what is available within `budget_ms`, appending it to `text`.
void ReadFor(int fd, int budget_ms, std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    text.append(buffer, static_cast<size_t>(n));
  }
}

void ReadToEnd(int fd, std::string& text) {
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
}

TEST(Crash, KilledWritersLoseNothingTheyReportedCommitted) {
  testing::TempDir dir;
  const std::string db = dir.File("nanse.db");
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> delay_ms(5, 120);
  std::vector<std::pair<uint64_t, Hash>> committed;
  constexpr int kRuns = 25;
  int runs_that_wrote = 0;

  for (int run = 0; run < kRuns; ++run) {
    Child child = StartWriter(db);
    ASSERT_GT(child.pid, 0);
    std::string text;
    ReadFor(child.out, delay_ms(rng), text);
    ASSERT_EQ(kill(child.pid, SIGKILL), 0);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ReadToEnd(child.out, text);  // lines written before the kill are still in the pipe
    close(child.out);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited by itself in run " << run;

    // Only complete lines count: a line cut by the kill names an op that may or may not be there.
    std::istringstream lines(text.substr(0, text.rfind('\n') + 1));
    uint64_t seq;
    std::string id_text;
    bool wrote = false;
    while (lines >> seq >> id_text) {
      auto id = DecodeId32(id_text, "id");
      ASSERT_TRUE(id.ok());
      committed.emplace_back(seq, *id);
      wrote = true;
    }
    runs_that_wrote += wrote;

    auto store = Store::Open(db);
    ASSERT_TRUE(store.ok()) << "run " << run << ": " << store.status().ToString();
    auto problems = (*store)->Check();
    ASSERT_TRUE(problems.ok()) << problems.status().ToString();
    ASSERT_TRUE(problems->empty()) << "run " << run << ": " << (*problems)[0];
    for (const auto& [s, id] : committed) {
      auto op = (*store)->GetOp(id);
      ASSERT_TRUE(op.ok());
      ASSERT_TRUE(op->has_value()) << "run " << run << ": committed op seq " << s << " is lost";
    }
    if (!committed.empty()) {
      auto heads = (*store)->Heads();
      ASSERT_EQ(heads->size(), 1u);
      EXPECT_GE((*heads)[0].seq, committed.back().first);
    }
  }
  // The test means something only if the kills landed while writing.
  EXPECT_GE(runs_that_wrote, kRuns / 2);
  std::printf("crash test: %d kills, %zu ops reported committed, all present\n", kRuns,
              committed.size());
}

}  // namespace
}  // namespace nanse
