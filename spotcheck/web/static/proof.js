// Check each published result's inclusion proof against the published Merkle root, in the browser (RFC 6962
// hashing, RFC 9162 §2.1.3.2; docs/publication.md "Checking a result"): leaf = SHA-256(0x00 ‖ leaf bytes),
// node = SHA-256(0x01 ‖ left ‖ right). The root comes from the page (published with the plan), not the proof.
(function () {
  "use strict";
  function hex(bytes) {
    return Array.prototype.map.call(new Uint8Array(bytes), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function fromHex(h) {
    var out = new Uint8Array(h.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
    return out;
  }
  function sha(prefix, a, b) {
    var parts = [new Uint8Array([prefix]), a].concat(b ? [b] : []);
    var size = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var buf = new Uint8Array(size), at = 0;
    parts.forEach(function (p) { buf.set(p, at); at += p.length; });
    return crypto.subtle.digest("SHA-256", buf).then(function (d) { return new Uint8Array(d); });
  }
  function rootFrom(proof) {
    var fn = proof.index, sn = proof.size - 1;
    var path = proof.path.map(fromHex);
    return sha(0, new TextEncoder().encode(proof.leaf)).then(function (leaf) {
      var chain = Promise.resolve(leaf);
      path.forEach(function (sibling) {
        chain = chain.then(function (node) {
          if (node === null || sn === 0) return null;
          if ((fn & 1) || fn === sn) {
            return sha(1, sibling, node).then(function (r) {
              while (!(fn & 1) && fn) { fn >>= 1; sn >>= 1; }
              fn >>= 1; sn >>= 1;
              return r;
            });
          }
          return sha(1, node, sibling).then(function (r) { fn >>= 1; sn >>= 1; return r; });
        });
      });
      return chain.then(function (node) { return node !== null && sn === 0 ? hex(node) : null; });
    });
  }
  document.querySelectorAll("[data-proof]").forEach(function (cell) {
    var button = cell.querySelector("button");
    var out = cell.querySelector("span");
    button.addEventListener("click", function () {
      out.textContent = "…";
      fetch("/api/public/results/" + cell.getAttribute("data-proof") + "/proof")
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(r.status)); })
        .then(rootFrom)
        .then(function (root) {
          var ok = root !== null && root === cell.getAttribute("data-root");
          out.textContent = ok ? "已验证 verified ✓" : "验证失败 failed ✗";
          out.className = ok ? "ok" : "error";
          cell.setAttribute("data-state", ok ? "verified" : "failed");
        })
        .catch(function () {
          out.textContent = "验证失败 failed ✗";
          out.className = "error";
          cell.setAttribute("data-state", "failed");
        });
    });
  });
})();
