// Reading a secret (a password) for both executables. Private to src/cli.
#pragma once

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

namespace corridor::cli {

// One line from standard input, without echo when it is a terminal. Never
// from the command line, where other users of the machine could see it.
inline std::string ReadSecret(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old_term{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old_term);
    termios quiet = old_term;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_term);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace corridor::cli
