/* Which copy of the site this is: "web" as published; the offline zip carries this file with "offline"
 * (offlinezip.py), so the home page of the unpacked copy does not offer a download that is not in it. */
(function (copy) {
  "use strict";
  if (copy !== "offline") return;
  function run() {
    document.querySelectorAll("a.cg-offline-zip").forEach(function (link) {
      var paragraph = link.closest("p") || link;
      paragraph.textContent = "Bạn đang dùng bản ngoại tuyến của trang học: mọi bài học, bài tự kiểm tra và " +
        "chức năng tìm kiếm đều dùng được mà không cần kết nối Internet.";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})("web");
