import { scriptedEngine, startServer } from "@earshot/server";

const s = await startServer({
  port: 47311,
  engine: scriptedEngine({ transcript: "alpha bravo charlie delta echo foxtrot" }),
});
console.log(s.url);
