#include "tests/node/test_home.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace nanse::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/nanse-test-XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (!made) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

SigningKey TestKey(uint8_t n) {
  Seed seed{};
  seed.fill(n);
  return SigningKey::FromSeed(seed);
}

std::unique_ptr<Store> NewNetworkStore(const TempDir& dir, const SigningKey& key,
                                       const std::string& file) {
  auto store = Store::Open(dir.File(file));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto genesis = (*store)->CreateGenesis(key, "Test network", 1'700'000'000'000);
  EXPECT_TRUE(genesis.ok()) << genesis.status().ToString();
  return std::move(*store);
}

}  // namespace nanse::testing
