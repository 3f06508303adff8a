#include "node/node.h"

#include <algorithm>
#include <filesystem>

#include "node/peer_book.h"

namespace nanse {
namespace {

// Creates the home directory and the node's key in it (refusing an existing home).
Result<SigningKey> CreateHomeAndKey(const HomeDir& home, Random& random) {
  NANSE_RETURN_IF_ERROR(home.Create());
  Seed seed;
  random.Fill(seed);
  Status written = home.WriteKey(seed);
  SigningKey key = SigningKey::FromSeed(seed);
  Wipe(seed.data(), seed.size());
  if (!written.ok()) return written;
  return key;
}

}  // namespace

Result<std::unique_ptr<Node>> Node::Init(const std::string& home_path,
                                         const std::string& network_name,
                                         const std::string& node_name, Clock& clock,
                                         Random& random) {
  NANSE_RETURN_IF_ERROR(ValidateName(network_name, "--network"));
  NANSE_RETURN_IF_ERROR(ValidateName(node_name, "--name"));
  HomeDir home(home_path);
  NANSE_ASSIGN_OR_RETURN(SigningKey key, CreateHomeAndKey(home, random));
  auto store = Store::Open(home.DatabasePath());
  if (!store.ok()) return store.status();
  auto genesis = (*store)->CreateGenesis(key, network_name, clock.NowMillis());
  if (!genesis.ok()) return genesis.status();
  NetworkInfo network;
  network.id = genesis->id;
  network.name = network_name;
  random.Fill(network.key);
  // The network file is written last: its presence marks a complete home.
  NANSE_RETURN_IF_ERROR(home.WriteNetwork(network));
  std::unique_ptr<Node> node(new Node(std::move(home), std::move(key), std::move(network),
                                      std::move(*store), clock, random));
  auto self = node->DescribeSelf({node_name, {}});
  if (!self.ok()) return self.status();
  return node;
}

Result<std::unique_ptr<Node>> Node::Join(const std::string& home_path, const InviteCode& code,
                                         const std::string& node_name, Clock& clock,
                                         Random& random) {
  NANSE_RETURN_IF_ERROR(ValidateName(node_name, "--name"));
  HomeDir home(home_path);
  NANSE_ASSIGN_OR_RETURN(SigningKey key, CreateHomeAndKey(home, random));
  auto store = Store::Open(home.DatabasePath());
  if (!store.ok()) return store.status();
  NANSE_RETURN_IF_ERROR((*store)->SetNetworkId(code.network_id));
  // The claim must be ordered after the invite, whatever this device's clock says.
  NANSE_RETURN_IF_ERROR((*store)->ObserveClock(code.invite_hlc));
  NANSE_RETURN_IF_ERROR((*store)->ExpectAdmission(key.public_key(), code.role, code.member));
  const SigningKey ticket = SigningKey::FromSeed(code.ticket_seed);
  const ClaimBody claim{ticket.public_key(),
                        ticket.Sign(ClaimMessage(code.network_id, key.public_key()))};
  std::vector<Store::LocalOp> ops;
  ops.push_back({"claim", EncodeClaim(claim)});
  ops.push_back({"node", EncodeNodeBody({node_name, {}})});
  auto authored = (*store)->AppendLocalBatch(key, std::move(ops), clock.NowMillis());
  if (!authored.ok()) return authored.status();
  // The code's peers are where `nanse serve` dials first (and whom `nanse status` names).
  if (!code.peers.empty()) {
    NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(home.DatabasePath()));
    for (const auto& peer : code.peers) NANSE_RETURN_IF_ERROR(book->Add(peer, clock.NowMillis()));
  }
  // The network file is written last: its presence marks a complete home.
  NetworkInfo network{code.network_id, code.network_name, code.network_key};
  NANSE_RETURN_IF_ERROR(home.WriteNetwork(network));
  return std::unique_ptr<Node>(new Node(std::move(home), std::move(key), std::move(network),
                                        std::move(*store), clock, random));
}

Result<std::unique_ptr<Node>> Node::Restore(const std::string& home_path,
                                            const std::string& backup_path,
                                            std::string_view passphrase, Clock& clock,
                                            Random& random) {
  HomeDir home(home_path);
  NANSE_RETURN_IF_ERROR(home.CheckNew());
  auto bytes = ReadWholeFile(backup_path, kMaxKeyBackupBytes);
  if (!bytes.ok()) return bytes.status();
  NANSE_ASSIGN_OR_RETURN(const KeyBackup backup,
                         DecodeKeyBackup(*bytes, passphrase, "key backup " + backup_path));
  NANSE_RETURN_IF_ERROR(home.Create());
  NANSE_RETURN_IF_ERROR(home.WriteKey(backup.seed));
  SigningKey key = SigningKey::FromSeed(backup.seed);
  auto store = Store::Open(home.DatabasePath());
  if (!store.ok()) return store.status();
  NANSE_RETURN_IF_ERROR((*store)->SetNetworkId(backup.network_id));
  // Until it holds its own chain up to the backup's head, it must not author (else it could
  // sign a second op at a seq its key already used: a fork).
  NANSE_RETURN_IF_ERROR((*store)->MarkRestored(key.public_key(), backup.head_seq));
  NANSE_RETURN_IF_ERROR((*store)->ExpectAdmission(key.public_key(), "", std::nullopt));
  NetworkInfo network{backup.network_id, backup.network_name, backup.network_key};
  // The network file is written last: its presence marks a complete home.
  NANSE_RETURN_IF_ERROR(home.WriteNetwork(network));
  return std::unique_ptr<Node>(new Node(std::move(home), std::move(key), std::move(network),
                                        std::move(*store), clock, random));
}

Result<std::unique_ptr<Node>> Node::Open(const std::string& home_path, Clock& clock,
                                         Random& random) {
  HomeDir home(home_path);
  NANSE_RETURN_IF_ERROR(home.CheckComplete());
  auto key = home.ReadKey();
  if (!key.ok()) return key.status();
  auto network = home.ReadNetwork();
  if (!network.ok()) return network.status();
  auto store = Store::Open(home.DatabasePath());
  if (!store.ok()) return store.status();
  auto stored_id = (*store)->NetworkId();
  if (!stored_id.ok()) return stored_id.status();
  if (!*stored_id || **stored_id != network->id) {
    return Status::Io("home " + home_path,
                      "the database and the network file name different networks");
  }
  return std::unique_ptr<Node>(new Node(std::move(home), std::move(*key), std::move(*network),
                                        std::move(*store), clock, random));
}

Result<SignedOp> Node::DescribeSelf(const NodeBody& body) {
  NANSE_RETURN_IF_ERROR(ValidateName(body.name, "--name"));
  if (body.addresses.size() > kMaxAddresses) {
    return Status::Usage("--address", "at most " + std::to_string(kMaxAddresses) + " addresses");
  }
  for (const auto& a : body.addresses) NANSE_RETURN_IF_ERROR(ValidateAddress(a, "--address"));
  return store_->AppendLocal(key_, "node", EncodeNodeBody(body), clock_.NowMillis());
}

Result<NodeBody> Node::Description(const PublicKey& id) {
  NANSE_ASSIGN_OR_RETURN(auto latest, store_->LatestOfType(id, "node"));
  if (!latest || !latest->op.body) return NodeBody{};
  return DecodeNodeBody(*latest->op.body);
}

Result<KeyExportReport> Node::ExportKey(const std::string& path, std::string_view passphrase,
                                        KdfLimits limits) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) || ec) {
    return Status::AlreadyExists("key backup " + path,
                                 "the file already exists; refusing to overwrite it");
  }
  KeyBackup backup;
  backup.seed = key_.seed();
  backup.network_id = network_.id;
  backup.network_name = network_.name;
  backup.network_key = network_.key;
  NANSE_ASSIGN_OR_RETURN(const VersionVector vv, store_->Vector());
  backup.head_seq = vv.Get(id());
  // A restored node that still waits knows its key went at least that far.
  NANSE_ASSIGN_OR_RETURN(const auto wait, store_->RestoreWaiting());
  if (wait && wait->author == id()) backup.head_seq = std::max(backup.head_seq, wait->seq);
  NANSE_ASSIGN_OR_RETURN(Bytes bytes, EncodeKeyBackup(backup, passphrase, random_, limits));
  NANSE_RETURN_IF_ERROR(WriteFileAtomically(path, bytes, 0600));
  return KeyExportReport{backup.head_seq, bytes.size()};
}

Result<BundleExportReport> Node::ExportBundle(const std::string& path, const VersionVector& since) {
  Bundle bundle;
  bundle.from = id();
  auto vv = store_->Vector();
  if (!vv.ok()) return vv.status();
  bundle.from_vector = std::move(*vv);
  NANSE_RETURN_IF_ERROR(store_->ForEachOpSince(since, [&](StoredOp&& op) {
    bundle.ops.push_back(std::move(op.op));
    return true;
  }));
  auto bytes = EncodeBundle(network_, bundle);
  if (!bytes.ok()) return bytes.status();
  NANSE_RETURN_IF_ERROR(WriteFileAtomically(path, *bytes, 0600));
  return BundleExportReport{bundle.ops.size(), bytes->size()};
}

Result<BundleImportReport> Node::ImportBundle(const std::string& path) {
  auto bytes = ReadWholeFile(path, kMaxBundleBytes);
  if (!bytes.ok()) return bytes.status();
  auto bundle = DecodeBundle(network_, *bytes);
  if (!bundle.ok()) return bundle.status();
  auto report = store_->Ingest(bundle->ops, clock_.NowMillis());
  if (!report.ok()) return report.status().Within("bundle " + path);
  return BundleImportReport{bundle->from, *report};
}

Result<VersionVector> Node::BundleVector(ByteView bundle_bytes) const {
  auto bundle = DecodeBundle(network_, bundle_bytes);
  if (!bundle.ok()) return bundle.status();
  return bundle->from_vector;
}

}  // namespace nanse
