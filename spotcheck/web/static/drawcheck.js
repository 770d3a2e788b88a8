// "Was this firm drawn fairly?" worked out in the browser from the published record (docs/draw-spec.md §2-§3):
// u = first 8 bytes of SHA-256(seed bytes ‖ credit code ASCII) as a big-endian integer; for each task whose scope
// holds the firm, position = (u − offset) mod 2^64, drawn iff position < threshold. Compared with the record.
(function () {
  "use strict";
  var M = BigInt(1) << BigInt(64);
  function hexToBytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function lottery(seedHex, code) {
    var seed = hexToBytes(seedHex);
    var message = new Uint8Array(seed.length + code.length);
    message.set(seed, 0);
    for (var i = 0; i < code.length; i++) message[seed.length + i] = code.charCodeAt(i);
    return crypto.subtle.digest("SHA-256", message).then(function (digest) {
      var bytes = new Uint8Array(digest), n = BigInt(0);
      for (var j = 0; j < 8; j++) n = (n << BigInt(8)) + BigInt(bytes[j]);
      return n;
    });
  }
  function line(parent, text, cls) {
    var el = document.createElement("li");
    el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }
  document.querySelectorAll("[data-drawcheck]").forEach(function (box) {
    var button = box.querySelector("button");
    var out = box.querySelector("ul");
    var data = JSON.parse(box.getAttribute("data-check"));
    button.addEventListener("click", function () {
      out.textContent = "";
      if (!(window.crypto && crypto.subtle && window.BigInt)) {
        line(out, "此浏览器不支持 Web Crypto / this browser has no Web Crypto", "error");
        return;
      }
      lottery(data.seed, data.uscc).then(function (u) {
        line(out, "抽签号 lottery number u = " + u.toString() + "（信用等级 tier " + data.tier + "）");
        if (!data.tasks.length) line(out, "本季没有任务的范围包含该企业 / no task's scope holds this firm: not drawn", "muted");
        data.tasks.forEach(function (t) {
          var position = (((u - BigInt(t.offset)) % M) + M) % M;
          var drawn = position < BigInt(t.threshold);
          var agrees = drawn === t.drawn;
          var verdict = drawn ? "抽中 drawn" : "未抽中 not drawn";
          var text = "任务 task " + t.task + " (" + t.departments.join("+") + "): 位置 position " + position.toString() +
            (drawn ? " < " : " ≥ ") + "阈值 threshold " + t.threshold + " → " + verdict;
          if (agrees) text += "，与公示记录一致 / matches the record ✓";
          else if (drawn) text += "；记录未抽中：该企业本季不符合条件（年度内已查同一事项或达上限）/ the record did not draw it: not eligible this quarter (draw-spec §4)";
          else text += "；与记录不符 / differs from the record ✗";
          var el = line(out, text, agrees ? "ok" : (drawn ? "warn" : "error"));
          el.setAttribute("data-task", t.task);
          el.setAttribute("data-verdict", drawn ? "drawn" : "not-drawn");
          el.setAttribute("data-agrees", agrees ? "yes" : "no");
        });
        out.setAttribute("data-done", "1");
      });
    });
  });
})();
