// Recompute a firm's lottery number in the browser: u = first 8 bytes of SHA-256(seed bytes ‖ USCC ASCII).
// Nothing is sent anywhere when the browser has Web Crypto; otherwise the public API recomputes it.
(function () {
  "use strict";
  var form = document.getElementById("lottery");
  if (!form) return;
  var out = document.getElementById("lottery-out");
  var pick = document.getElementById("seed-pick");
  var seedInput = document.getElementById("seed");
  if (pick) pick.addEventListener("change", function () { if (pick.value) seedInput.value = pick.value; });

  function hexToBytes(hex) {
    if (!/^([0-9a-f]{2})+$/.test(hex)) throw new Error("种子须为十六进制 / the seed must be hexadecimal");
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function show(seedHex, code, number) {
    var two64 = BigInt(1) << BigInt(64);
    var scaled = (number * BigInt(10) ** BigInt(12)) / two64;  // display: 12 decimals, rounded down
    out.textContent =
      "代码 code   " + code + "\n" +
      "整数 number " + number.toString() + "\n" +
      "u = " + number.toString() + " / 2^64 ≈ 0." + scaled.toString().padStart(12, "0") + "\n\n" +
      "# Python 标准库即可复算 / recompute with standard-library Python:\n" +
      "import hashlib\n" +
      "seed = bytes.fromhex(\"" + seedHex + "\")\n" +
      "u = int.from_bytes(hashlib.sha256(seed + \"" + code + "\".encode(\"ascii\")).digest()[:8], \"big\")\n" +
      "print(u, u / 2**64)";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var seedHex = seedInput.value.trim().toLowerCase();
    var code = document.getElementById("uscc").value.trim().toUpperCase();
    out.textContent = "…";
    if (window.crypto && window.crypto.subtle && window.BigInt) {
      var seed;
      try { seed = hexToBytes(seedHex); } catch (e) { out.textContent = e.message; return; }
      if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) {
        out.textContent = "统一社会信用代码须为 18 位 / the credit code has 18 characters (0-9, A-Y without I O S V Z)";
        return;
      }
      var message = new Uint8Array(seed.length + code.length);
      message.set(seed, 0);
      for (var i = 0; i < code.length; i++) message[seed.length + i] = code.charCodeAt(i);
      window.crypto.subtle.digest("SHA-256", message).then(function (digest) {
        var bytes = new Uint8Array(digest), n = BigInt(0);
        for (var j = 0; j < 8; j++) n = (n << BigInt(8)) + BigInt(bytes[j]);
        show(seedHex, code, n);
      });
      return;
    }
    fetch("/api/public/lottery?seed=" + encodeURIComponent(seedHex) + "&uscc=" + encodeURIComponent(code))
      .then(function (r) { return r.json(); })
      .then(function (body) {
        out.textContent = body.number ? "u = " + body.u + " ≈ " + body.u_decimal + "\n\n" + body.python
                                      : (body.message || body.detail);
      });
  });
})();
