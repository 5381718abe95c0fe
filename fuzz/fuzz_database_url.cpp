// libFuzzer target: DATABASE_URL parsing. A parsed URL must round-trip through toString() (it is
// handed to child processes that way) and its redacted form must not show the secrets.
#include "fuzz_check.h"
#include "storage/database_url.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto url = DatabaseUrl::parse(text);
    if (!url) {
        FUZZ_CHECK(url.error().code == QStringLiteral("bad_database_url"));
        return 0;
    }
    auto again = DatabaseUrl::parse(url->toString());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *url);
    // The redacted form must not depend on the secrets: swap them and it must stay the same.
    DatabaseUrl other = *url;
    if (!other.password.isEmpty())
        other.password = QStringLiteral("other-secret");
    for (auto &[k, v] : other.options) {
        if (isLibpqSecretKeyword(k))  // libpq's own list (dispchar '*')
            v = QStringLiteral("other-secret");
    }
    FUZZ_CHECK(other.redacted() == url->redacted());
    return 0;
}
