#pragma once
// Loopback ports a test owns: for a listener that should see no traffic, or a
// port known to refuse connections.

namespace scoringjobs::test {

/// Binds `fd`, an AF_INET stream socket, to 127.0.0.1 on a port the kernel
/// picks, and returns that port. Throws std::runtime_error when it cannot.
int bind_loopback(int fd);

}  // namespace scoringjobs::test
