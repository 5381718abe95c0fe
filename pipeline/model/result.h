#pragma once
// Errors as values at module edges: Result<T> holds either a value or an Error with a message that
// is safe to show (never contains secrets). std::expected is C++23; this is the small subset we use.
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace ms {

struct Error
{
    QString message;  // human-readable, one line, no secrets
    QString code;     // short stable key for counting ("invalid_json", "db_unreachable", ...)
};

template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }

    const Error &error() const { return std::get<1>(m_v); }
    QString errorMessage() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString errorMessage() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(QString message, QString code = {})
{
    return Error{std::move(message), std::move(code)};
}

}  // namespace ms
