// Drawing a signature on the signing page. The drawing is optional: without it (or with the
// keyboard only) the document shows the signer's typed name, so nobody depends on a pointer.
(() => {
  const canvas = document.querySelector("canvas.signature-pad");
  const field = document.querySelector("input[name=drawing]");
  const clear = document.querySelector(".signature-clear");
  if (!canvas || !field) return;
  const context = canvas.getContext("2d");
  context.lineWidth = 2.5;
  context.lineCap = "round";
  context.strokeStyle = "#0b2e6b";
  let drawing = false;
  let drawn = false;
  // A signing the server refused (a wrong password, a deadline) comes back with the drawing in
  // its field: paint it again, so nothing drawn is lost.
  if (field.value.startsWith("data:image/png;base64,")) {
    const image = new Image();
    image.addEventListener("load", () => {
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      drawn = true;
    });
    image.src = field.value;
  }

  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (canvas.width / box.width), (event.clientY - box.top) * (canvas.height / box.height)];
  };
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    context.beginPath();
    context.moveTo(...point(event));
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    context.lineTo(...point(event));
    context.stroke();
    drawn = true;
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    if (drawn) field.value = canvas.toDataURL("image/png");
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  if (clear) {
    clear.addEventListener("click", () => {
      context.clearRect(0, 0, canvas.width, canvas.height);
      field.value = "";
      drawn = false;
    });
  }
})();
